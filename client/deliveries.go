package client

import (
	"context"
	"time"

	"sluice"
)

// notificationsTarget prefixes Sluice's operations on outbound notifications
// (api/deliverylog.go).
const notificationsTarget = "SluiceNotifications_20261207."

type deliveryOut struct {
	MessageID     string   `json:"MessageId"`
	TargetArn     string   `json:"TargetArn"`
	TopicArn      string   `json:"TopicArn"`
	Protocol      string   `json:"Protocol"`
	Endpoint      string   `json:"Endpoint"`
	Type          string   `json:"Type"`
	Subject       string   `json:"Subject"`
	Status        string   `json:"Status"`
	Attempts      int      `json:"Attempts"`
	NextAttemptAt *float64 `json:"NextAttemptAt"`
	LastError     string   `json:"LastError"`
	CreatedAt     *float64 `json:"CreatedAt"`
	AttemptLog    []struct {
		Attempt    int      `json:"Attempt"`
		At         *float64 `json:"At"`
		DurationMs int64    `json:"DurationMs"`
		StatusCode int      `json:"StatusCode"`
		Error      string   `json:"Error"`
	} `json:"AttemptLog"`
}

func (o *deliveryOut) record() *sluice.DeliveryRecord {
	r := &sluice.DeliveryRecord{Delivery: &sluice.Delivery{ID: o.MessageID, Target: o.TargetArn, TopicARN: o.TopicArn,
		Protocol: o.Protocol, Endpoint: o.Endpoint, Type: o.Type, Subject: o.Subject, Status: sluice.DeliveryStatus(o.Status),
		Attempts: o.Attempts, NextAttempt: epoch(o.NextAttemptAt), LastError: o.LastError, Created: epoch(o.CreatedAt)}}
	for _, a := range o.AttemptLog {
		r.Attempts = append(r.Attempts, sluice.DeliveryAttempt{DeliveryID: o.MessageID, N: a.Attempt, At: epoch(a.At),
			Duration: time.Duration(a.DurationMs) * time.Millisecond, StatusCode: a.StatusCode, Error: a.Error})
	}
	return r
}

// ListDeliveries returns one page of the delivery log of f.Target, newest first.
func (c *Client) ListDeliveries(ctx context.Context, f sluice.DeliveryFilter) ([]*sluice.DeliveryRecord, string, error) {
	in := map[string]any{"TargetArn": f.Target}
	if f.Status != "" {
		in["Status"] = f.Status
	}
	if f.Limit > 0 {
		in["MaxResults"] = f.Limit
	}
	if f.NextToken != "" {
		in["NextToken"] = f.NextToken
	}
	var out struct {
		Deliveries []deliveryOut `json:"Deliveries"`
		NextToken  string        `json:"NextToken"`
	}
	if err := c.Call(ctx, notificationsTarget+"ListDeliveries", "sns", in, &out); err != nil {
		return nil, "", err
	}
	rs := make([]*sluice.DeliveryRecord, len(out.Deliveries))
	for i := range out.Deliveries {
		rs[i] = out.Deliveries[i].record()
	}
	return rs, out.NextToken, nil
}
