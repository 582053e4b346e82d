package query

import (
	"encoding/xml"
	"sort"

	"sluice"
)

// attrMap is SNS's attribute map: <Name><entry><key/><value/></entry>…</Name>, by key.
type attrMap map[string]string

func (m attrMap) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if err := e.EncodeToken(start); err != nil {
		return err
	}
	for _, k := range keys {
		entry := struct {
			Key   string `xml:"key"`
			Value string `xml:"value"`
		}{k, m[k]}
		if err := e.EncodeElement(entry, xml.StartElement{Name: xml.Name{Local: "entry"}}); err != nil {
			return err
		}
	}
	return e.EncodeToken(start.End())
}

type xTopic struct{ TopicArn string }

type xTopics struct {
	Topics    members[xTopic]
	NextToken string `xml:"NextToken,omitempty"`
}

func topicsOut(arns []string, next string) xTopics {
	out := xTopics{Topics: members[xTopic]{}, NextToken: next}
	for _, a := range arns {
		out.Topics = append(out.Topics, xTopic{a})
	}
	return out
}

type xSubscription struct {
	SubscriptionArn, Owner, Protocol, Endpoint, TopicArn string
}

type xSubscriptions struct {
	Subscriptions members[xSubscription]
	NextToken     string `xml:"NextToken,omitempty"`
}

// subscriptionsOut lists subscriptions as SNS does: "PendingConfirmation" in place of the
// ARN of one not confirmed yet.
func subscriptionsOut(subs []*sluice.Subscription, next string) xSubscriptions {
	out := xSubscriptions{Subscriptions: members[xSubscription]{}, NextToken: next}
	for _, s := range subs {
		arn := s.ARN
		if !s.Confirmed {
			arn = "PendingConfirmation"
		}
		out.Subscriptions = append(out.Subscriptions, xSubscription{SubscriptionArn: arn, Owner: s.Owner,
			Protocol: s.Protocol, Endpoint: s.Endpoint, TopicArn: s.TopicARN})
	}
	return out
}

type xTag struct{ Key, Value string }

func tagsOut(tags []sluice.Tag) members[xTag] {
	out := members[xTag]{}
	for _, t := range tags {
		out = append(out, xTag{t.Key, t.Value})
	}
	return out
}
