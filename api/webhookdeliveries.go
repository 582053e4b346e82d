package api

import (
	"context"

	"sluice"
)

// deliveryOut is one webhook delivery as ListWebhookDeliveries answers it.
type deliveryOut struct {
	DeliveryID    string         `json:"DeliveryId"`
	ConnectionArn string         `json:"ConnectionArn"`
	Event         string         `json:"Event,omitempty"`
	Repository    string         `json:"Repository,omitempty"`
	Ref           string         `json:"Ref,omitempty"`
	Result        string         `json:"Result"`
	Reason        string         `json:"Reason,omitempty"`
	Executions    []executionRef `json:"Executions"`
	ReceivedAt    *epoch         `json:"ReceivedAt,omitempty"`
}

type executionRef struct {
	PipelineName        string `json:"PipelineName"`
	PipelineExecutionID string `json:"PipelineExecutionId"`
}

// listWebhookDeliveries is SluiceConnections_20261129.ListWebhookDeliveries: the webhook
// deliveries a connection received and what came of each, newest first.
func (s *Server) listWebhookDeliveries(ctx context.Context, c *call) (any, error) {
	var in struct {
		ConnectionArn string `json:"ConnectionArn"`
		MaxResults    *int   `json:"MaxResults"`
		NextToken     string `json:"NextToken"`
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	var m members
	m.need("ConnectionArn", in.ConnectionArn, connArnRule)
	m.between("MaxResults", in.MaxResults, 0, 100)
	m.opt("NextToken", in.NextToken, nextTokenRule)
	if err := m.err(); err != nil {
		return nil, err
	}
	ds, next, err := s.Service.ListWebhookDeliveries(ctx, c.caller, in.ConnectionArn, sluice.Page{Token: in.NextToken, Limit: pageSize(in.MaxResults)})
	if err != nil {
		return nil, err
	}
	out := make([]deliveryOut, 0, len(ds))
	for _, d := range ds {
		o := deliveryOut{DeliveryID: d.DeliveryID, ConnectionArn: d.ConnectionARN, Event: d.Event, Repository: d.Repository,
			Ref: d.Ref, Result: d.Result, Reason: d.Reason, Executions: []executionRef{}, ReceivedAt: ts(d.Received)}
		for _, e := range d.Executions {
			o.Executions = append(o.Executions, executionRef{e.Pipeline, e.ExecutionID})
		}
		out = append(out, o)
	}
	return struct {
		Deliveries []deliveryOut `json:"Deliveries"`
		NextToken  string        `json:"NextToken,omitempty"`
	}{out, next}, nil
}
