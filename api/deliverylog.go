package api

import (
	"context"

	"sluice"
	"sluice/validate"
)

// notificationsTarget prefixes Sluice's operations on outbound notifications.
const notificationsTarget = "SluiceNotifications_20261207."

// deliveryLogOut is one outbound delivery as ListDeliveries answers it.
type deliveryLogOut struct {
	MessageID     string       `json:"MessageId"`
	TargetArn     string       `json:"TargetArn"`
	TopicArn      string       `json:"TopicArn,omitempty"`
	Protocol      string       `json:"Protocol"`
	Endpoint      string       `json:"Endpoint"`
	Type          string       `json:"Type,omitempty"`
	Subject       string       `json:"Subject,omitempty"`
	Status        string       `json:"Status"`
	Attempts      int          `json:"Attempts"`
	NextAttemptAt *epoch       `json:"NextAttemptAt,omitempty"`
	LastError     string       `json:"LastError,omitempty"`
	CreatedAt     *epoch       `json:"CreatedAt,omitempty"`
	AttemptLog    []attemptOut `json:"AttemptLog"`
}

type attemptOut struct {
	Attempt    int    `json:"Attempt"`
	At         *epoch `json:"At,omitempty"`
	DurationMs int64  `json:"DurationMs"`
	StatusCode int    `json:"StatusCode,omitempty"`
	Error      string `json:"Error,omitempty"`
}

// targetArnRule admits every destination's ARN: subscriptions, chat channels (no region),
// rule targets (rule ARN + "/" + target id).
var targetArnRule = rule{min: 1, max: 2048, pattern: validate.NewPattern(`arn:aws(-[a-z]+)*:[a-z0-9-]+:[a-z0-9-]*:[0-9]{12}:.+`)}

var deliveryStatusRule = rule{enum: []string{string(sluice.DeliveryPending), string(sluice.DeliveryDelivered), string(sluice.DeliveryFailed)}}

// listDeliveries is SluiceNotifications_20261207.ListDeliveries: the delivery log of one
// destination (a subscription, a chat channel, a rule target), newest first.
func (s *Server) listDeliveries(ctx context.Context, c *call) (any, error) {
	var in struct {
		TargetArn  string `json:"TargetArn"`
		Status     string `json:"Status"`
		MaxResults *int   `json:"MaxResults"`
		NextToken  string `json:"NextToken"`
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	var m members
	m.need("TargetArn", in.TargetArn, targetArnRule)
	m.opt("Status", in.Status, deliveryStatusRule)
	m.between("MaxResults", in.MaxResults, 1, 100)
	m.opt("NextToken", in.NextToken, nextTokenRule)
	if err := m.err(); err != nil {
		return nil, err
	}
	f := sluice.DeliveryFilter{Target: in.TargetArn, Status: sluice.DeliveryStatus(in.Status), NextToken: in.NextToken}
	if in.MaxResults != nil {
		f.Limit = *in.MaxResults
	}
	rs, next, err := s.Service.ListDeliveries(ctx, c.caller, f)
	if err != nil {
		return nil, err
	}
	out := make([]deliveryLogOut, 0, len(rs))
	for _, r := range rs {
		out = append(out, deliveryLogOf(r))
	}
	return struct {
		Deliveries []deliveryLogOut `json:"Deliveries"`
		NextToken  string           `json:"NextToken,omitempty"`
	}{out, next}, nil
}

func deliveryLogOf(r *sluice.DeliveryRecord) deliveryLogOut {
	d := r.Delivery
	o := deliveryLogOut{MessageID: d.ID, TargetArn: d.Target, TopicArn: d.TopicARN, Protocol: d.Protocol, Endpoint: d.Endpoint,
		Type: d.Type, Subject: d.Subject, Status: string(d.Status), Attempts: d.Attempts, LastError: d.LastError,
		CreatedAt: ts(d.Created), AttemptLog: make([]attemptOut, 0, len(r.Attempts))}
	if d.Status == sluice.DeliveryPending {
		o.NextAttemptAt = ts(d.NextAttempt)
	}
	for _, a := range r.Attempts {
		o.AttemptLog = append(o.AttemptLog, attemptOut{Attempt: a.N, At: ts(a.At), DurationMs: a.Duration.Milliseconds(),
			StatusCode: a.StatusCode, Error: a.Error})
	}
	return o
}

// notificationRoutes adds the delivery log's operation.
func (s *Server) notificationRoutes(out map[string]handler) {
	out[notificationsTarget+"ListDeliveries"] = s.listDeliveries
}
