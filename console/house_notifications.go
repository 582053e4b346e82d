package console

import (
	"net/http"

	"sluice"
	"sluice/service"
)

// topicRow is a topic with its subscriptions (the first 100).
type topicRow struct {
	ARN           string
	Subscriptions []*sluice.Subscription
}

type notificationsData struct {
	Topics []topicRow
	Next   string
}

// notificationsPage lists the SNS topics with their subscriptions, each linked to its
// delivery log; a form opens the log of any destination (a chat channel, a rule target).
func (c *Console) notificationsPage(w http.ResponseWriter, r *http.Request, s *session) {
	arns, next, err := c.Service.ListTopics(r.Context(), s.caller, r.URL.Query().Get("page"))
	if err != nil {
		c.failed(w, r, s, err)
		return
	}
	d := notificationsData{Next: next}
	for _, arn := range arns {
		subs, _, err := c.Service.ListSubscriptionsByTopic(r.Context(), s.caller, arn, "")
		if err != nil {
			c.failed(w, r, s, err)
			return
		}
		for _, sub := range subs {
			sub.Endpoint = service.MaskEndpoint(sub.Endpoint)
			sub.Token = ""
		}
		d.Topics = append(d.Topics, topicRow{ARN: arn, Subscriptions: subs})
	}
	c.render(w, r, s, http.StatusOK, "notifications", d)
}

// deliveryLogShown is how many deliveries a log page shows.
const deliveryLogShown = 50

type deliveryLogData struct {
	Target     string
	Status     string
	Deliveries []*sluice.DeliveryRecord
	Next       string
}

// deliveryLogPage shows the delivery log of ?target=ARN, newest first, each delivery with
// its latest attempts; without a target, the form that asks for one.
func (c *Console) deliveryLogPage(w http.ResponseWriter, r *http.Request, s *session) {
	q := r.URL.Query()
	d := deliveryLogData{Target: q.Get("target"), Status: q.Get("status")}
	if d.Target != "" {
		var err error
		d.Deliveries, d.Next, err = c.Service.ListDeliveries(r.Context(), s.caller, sluice.DeliveryFilter{Target: d.Target,
			Status: sluice.DeliveryStatus(d.Status), Limit: deliveryLogShown, NextToken: q.Get("page")})
		if err != nil {
			c.failed(w, r, s, err)
			return
		}
	}
	c.render(w, r, s, http.StatusOK, "notifications_log", d)
}
