package service_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice"
)

// topicWith creates topic name with confirmed subscriptions of the given protocols (an
// endpoint each) and one pending http subscription, and returns the topic's ARN.
func topicWith(t *testing.T, b *bundle, name string, attrs map[string]string, subs ...*sluice.Subscription) string {
	t.Helper()
	arn, err := b.svc.CreateTopic(t.Context(), caller, name, attrs, nil)
	require.NoError(t, err)
	pending := &sluice.Subscription{ARN: arn + ":pending", TopicARN: arn, Protocol: sluice.ProtocolHTTP,
		Endpoint: "http://example.com/pending", Token: "tok", TokenExpires: time.Now().Add(time.Hour)}
	for _, s := range append(subs, pending) {
		s.TopicARN = arn
		s.ARN = arn + ":" + s.ARN
		require.NoError(t, b.db.CreateSubscription(t.Context(), s))
	}
	return arn
}

func confirmedSub(id, protocol, endpoint string, attrs map[string]string) *sluice.Subscription {
	return &sluice.Subscription{ARN: id, Protocol: protocol, Endpoint: endpoint, Confirmed: true, Attributes: attrs}
}

func deliveriesOf(t *testing.T, b *bundle, target string) []*sluice.Delivery {
	t.Helper()
	recs, _, err := b.db.ListDeliveries(t.Context(), sluice.DeliveryFilter{Target: target})
	require.NoError(t, err)
	out := make([]*sluice.Delivery, len(recs))
	for i, r := range recs {
		out[i] = r.Delivery
	}
	return out
}

func TestPublish(t *testing.T) {
	t.Parallel()

	t.Run("FansOutToConfirmedSubscriptions", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		arn := topicWith(t, b, "alerts", map[string]string{"SignatureVersion": "2"},
			confirmedSub("h", sluice.ProtocolHTTPS, "https://example.com/h", map[string]string{"RawMessageDelivery": "true"}),
			confirmedSub("m", sluice.ProtocolEmail, "ops@example.com", nil))
		id, err := b.svc.Publish(t.Context(), caller, sluice.PublishInput{TopicARN: arn, Subject: "Hi", Message: "hello",
			Attributes: map[string]sluice.MessageAttribute{"k": {DataType: "String", StringValue: "v"}}})
		require.NoError(t, err)
		require.NotEmpty(t, id)

		h := deliveriesOf(t, b, arn+":h")
		require.Len(t, h, 1)
		require.Equal(t, id, h[0].ID)
		require.Equal(t, sluice.MessageNotification, h[0].Type)
		require.Equal(t, "hello", h[0].Message)
		require.Equal(t, "Hi", h[0].Subject)
		require.True(t, h[0].Raw)
		require.Equal(t, "2", h[0].SignatureVersion)
		require.Equal(t, "https://example.com/h", h[0].Endpoint)
		require.Equal(t, map[string]sluice.MessageAttribute{"k": {DataType: "String", StringValue: "v"}}, h[0].Attributes)
		require.Equal(t, sluice.RetryPolicy{NumRetries: 3, MinDelay: 20 * time.Second, MaxDelay: 20 * time.Second,
			Backoff: "linear", MaxAge: time.Hour}, h[0].Policy, "SNS's default http policy")
		m := deliveriesOf(t, b, arn+":m")
		require.Len(t, m, 1)
		require.Equal(t, id, m[0].ID, "one message id for every subscription")
		require.False(t, m[0].Raw)
		require.Empty(t, deliveriesOf(t, b, arn+":pending"), "a pending subscription gets no notification")
	})

	t.Run("StructurePerProtocol", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		arn := topicWith(t, b, "s", nil,
			confirmedSub("h", sluice.ProtocolHTTP, "http://example.com/h", nil),
			confirmedSub("m", sluice.ProtocolEmail, "ops@example.com", nil))
		_, err := b.svc.Publish(t.Context(), caller, sluice.PublishInput{TopicARN: arn, MessageStructure: "json",
			Message: `{"default":"d","email":"for mail","http":7}`})
		require.NoError(t, err)
		require.Equal(t, "d", deliveriesOf(t, b, arn+":h")[0].Message, "a non-string member is ignored")
		require.Equal(t, "for mail", deliveriesOf(t, b, arn+":m")[0].Message)
	})

	t.Run("DedupeKeyAddsOnce", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		arn := topicWith(t, b, "d", nil, confirmedSub("h", sluice.ProtocolHTTP, "http://example.com/h", nil))
		in := sluice.PublishInput{TopicARN: arn, Message: "m", DedupeKey: "event-1/rule"}
		id1, err := b.svc.Publish(t.Context(), sluice.ServerCaller(), in)
		require.NoError(t, err)
		id2, err := b.svc.Publish(t.Context(), sluice.ServerCaller(), in)
		require.NoError(t, err)
		require.Equal(t, id1, id2, "the same key answers the same message id")
		ds := deliveriesOf(t, b, arn+":h")
		require.Len(t, ds, 1)
		require.Equal(t, "event-1/rule/"+arn+":h", ds[0].Key)

		long := strings.Repeat("s", 120)
		_, err = b.svc.Publish(t.Context(), sluice.ServerCaller(), sluice.PublishInput{TopicARN: arn, Message: "m", Subject: long})
		require.NoError(t, err, "the server's subjects are shortened")
		require.Equal(t, strings.Repeat("s", 96)+"...", deliveriesOf(t, b, arn+":h")[0].Subject)
	})

	t.Run("SubscriptionDeliveryPolicy", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		arn := topicWith(t, b, "p", nil, confirmedSub("h", sluice.ProtocolHTTP, "http://example.com/h", map[string]string{
			"DeliveryPolicy": `{"healthyRetryPolicy":{"numRetries":10,"numNoDelayRetries":2,"minDelayTarget":5,"maxDelayTarget":60,"backoffFunction":"exponential"}}`}))
		_, err := b.svc.Publish(t.Context(), caller, sluice.PublishInput{TopicARN: arn, Message: "m"})
		require.NoError(t, err)
		require.Equal(t, sluice.RetryPolicy{NumRetries: 10, NoDelayRetries: 2, MinDelay: 5 * time.Second, MaxDelay: time.Minute,
			Backoff: "exponential", MaxAge: time.Hour}, deliveriesOf(t, b, arn+":h")[0].Policy)
	})

	t.Run("FilterPolicies", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		arn := topicWith(t, b, "f", nil,
			confirmedSub("all", sluice.ProtocolHTTP, "http://example.com/all", nil),
			confirmedSub("failed", sluice.ProtocolHTTP, "http://example.com/failed", map[string]string{
				"FilterPolicy": `{"state":["FAILED"],"attempt":[{"numeric":[">",1]}]}`}),
			confirmedSub("prod", sluice.ProtocolHTTP, "http://example.com/prod", map[string]string{
				"FilterPolicy": `{"envs":[{"prefix":"prod"}]}`}),
			confirmedSub("body", sluice.ProtocolHTTP, "http://example.com/body", map[string]string{
				"FilterPolicy": `{"detail":{"state":["FAILED"]}}`, "FilterPolicyScope": "MessageBody"}))
		publish := func(message string, attrs map[string]sluice.MessageAttribute) {
			_, err := b.svc.Publish(t.Context(), caller, sluice.PublishInput{TopicARN: arn, Message: message, Attributes: attrs})
			require.NoError(t, err)
		}
		str := func(v string) sluice.MessageAttribute {
			return sluice.MessageAttribute{DataType: "String", StringValue: v}
		}
		num := func(v string) sluice.MessageAttribute {
			return sluice.MessageAttribute{DataType: "Number", StringValue: v}
		}
		publish("1", map[string]sluice.MessageAttribute{"state": str("FAILED"), "attempt": num("2")})
		publish("2", map[string]sluice.MessageAttribute{"state": str("FAILED"), "attempt": num("1")})
		publish("3", map[string]sluice.MessageAttribute{"envs": {DataType: "String.Array", StringValue: `["dev","prod-eu"]`}})
		publish(`{"detail":{"state":"FAILED"}}`, nil)
		publish(`{"detail":{"state":"SUCCEEDED"}}`, nil)
		got := func(id string) []string {
			var out []string
			for _, d := range deliveriesOf(t, b, arn+":"+id) {
				out = append(out, d.Message)
			}
			return out
		}
		require.Len(t, got("all"), 5)
		require.Equal(t, []string{"1"}, got("failed"))
		require.Equal(t, []string{"3"}, got("prod"), "a String.Array matches by any element")
		require.Equal(t, []string{`{"detail":{"state":"FAILED"}}`}, got("body"))
	})

	t.Run("Refusals", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		arn := topicWith(t, b, "r", nil, confirmedSub("h", sluice.ProtocolHTTP, "http://example.com/h", nil))
		for name, tc := range map[string]struct {
			in       sluice.PublishInput
			resource string
			message  string
		}{
			"NoTopic":        {sluice.PublishInput{Message: "m"}, "TopicArn", "TopicArn"},
			"EmptyMessage":   {sluice.PublishInput{TopicARN: arn}, "Message", "Empty message"},
			"TooLong":        {sluice.PublishInput{TopicARN: arn, Message: strings.Repeat("é", 131073)}, "Message", "Message too long"},
			"SubjectNewline": {sluice.PublishInput{TopicARN: arn, Message: "m", Subject: "a\nb"}, "Subject", "Subject"},
			"SubjectLong":    {sluice.PublishInput{TopicARN: arn, Message: "m", Subject: strings.Repeat("s", 100)}, "Subject", "Subject"},
			"NoDefault":      {sluice.PublishInput{TopicARN: arn, Message: `{"http":"x"}`, MessageStructure: "json"}, "Message", "No default entry"},
			"NotJSON":        {sluice.PublishInput{TopicARN: arn, Message: `{"default":`, MessageStructure: "json"}, "Message", "failed to parse"},
			"DuplicateKey":   {sluice.PublishInput{TopicARN: arn, Message: `{"default":"a","default":"b"}`, MessageStructure: "json"}, "Message", "Duplicate"},
			"BadStructure":   {sluice.PublishInput{TopicARN: arn, Message: "m", MessageStructure: "xml"}, "MessageStructure", "MessageStructure"},
			"AttributeType": {sluice.PublishInput{TopicARN: arn, Message: "m",
				Attributes: map[string]sluice.MessageAttribute{"a": {DataType: "Date", StringValue: "x"}}}, "MessageAttributes", "invalid message attribute type"},
			"AttributeNumber": {sluice.PublishInput{TopicARN: arn, Message: "m",
				Attributes: map[string]sluice.MessageAttribute{"a": {DataType: "Number", StringValue: "x"}}}, "MessageAttributes", "numerical"},
			"AttributeName": {sluice.PublishInput{TopicARN: arn, Message: "m",
				Attributes: map[string]sluice.MessageAttribute{"AWS.x": {DataType: "String", StringValue: "x"}}}, "MessageAttributes", "name"},
		} {
			_, err := b.svc.Publish(t.Context(), caller, tc.in)
			var e *sluice.Error
			require.ErrorAs(t, err, &e, name)
			require.Equal(t, sluice.EInvalid, e.Code, name)
			require.Equal(t, tc.resource, e.Resource, name)
			require.Contains(t, e.Message, tc.message, name)
		}
		_, err := b.svc.Publish(t.Context(), caller, sluice.PublishInput{TopicARN: arn + "x", Message: "m"})
		require.Equal(t, sluice.ENotFound, sluice.ErrorCode(err))
		require.Empty(t, deliveriesOf(t, b, arn+":h"), "nothing stored for a refused publish")
	})
}

// TestGoneDestinationsGetNothing: what was queued for a subscription, a topic or a rule's
// HTTP target is not sent once it is deleted.
func TestGoneDestinationsGetNothing(t *testing.T) {
	t.Parallel()
	requireCancelled := func(t *testing.T, ds []*sluice.Delivery, reason string) {
		t.Helper()
		require.NotEmpty(t, ds)
		for _, d := range ds {
			if d.Type == sluice.MessageUnsubscribeConfirmation {
				continue
			}
			require.Equal(t, sluice.DeliveryFailed, d.Status)
			require.Equal(t, reason, d.LastError)
		}
	}
	t.Run("Unsubscribe", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		arn := topicWith(t, b, "alerts", nil, confirmedSub("m", sluice.ProtocolEmail, "ops@example.com", nil))
		_, err := b.svc.Publish(t.Context(), caller, sluice.PublishInput{TopicARN: arn, Message: "hello"})
		require.NoError(t, err)
		require.NoError(t, b.svc.Unsubscribe(t.Context(), caller, arn+":m", false))
		requireCancelled(t, deliveriesOf(t, b, arn+":m"), "the subscription was deleted")
	})
	t.Run("DeleteTopic", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		arn := topicWith(t, b, "alerts", nil, confirmedSub("m", sluice.ProtocolEmail, "ops@example.com", nil))
		_, err := b.svc.Publish(t.Context(), caller, sluice.PublishInput{TopicARN: arn, Message: "hello"})
		require.NoError(t, err)
		require.NoError(t, b.svc.DeleteTopic(t.Context(), caller, arn))
		requireCancelled(t, deliveriesOf(t, b, arn+":m"), "the topic was deleted")
	})
}
