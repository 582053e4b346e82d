package api

import (
	"context"
	"strconv"
	"time"

	"sluice"
	"sluice/audit"
	"sluice/service"
)

// cloudtrailTarget prefixes CloudTrail's operations; Sluice serves LookupEvents.
const cloudtrailTarget = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101."

func (s *Server) cloudtrailRoutes(out map[string]handler) {
	out[cloudtrailTarget+"LookupEvents"] = s.lookupEvents
}

// lookupEventsIn is LookupEventsRequest.
type lookupEventsIn struct {
	LookupAttributes []struct {
		AttributeKey   *string `json:"AttributeKey"`
		AttributeValue *string `json:"AttributeValue"`
	} `json:"LookupAttributes"`
	StartTime     *epoch `json:"StartTime"`
	EndTime       *epoch `json:"EndTime"`
	EventCategory string `json:"EventCategory"`
	MaxResults    *int   `json:"MaxResults"`
	NextToken     string `json:"NextToken"`
}

// trailEventOut is CloudTrail's Event.
type trailEventOut struct {
	EventID         string             `json:"EventId"`
	EventName       string             `json:"EventName"`
	ReadOnly        string             `json:"ReadOnly"`
	AccessKeyID     string             `json:"AccessKeyId,omitempty"`
	EventTime       *epoch             `json:"EventTime"`
	EventSource     string             `json:"EventSource"`
	Username        string             `json:"Username,omitempty"`
	Resources       []trailResourceOut `json:"Resources"`
	CloudTrailEvent string             `json:"CloudTrailEvent"`
}

type trailResourceOut struct {
	ResourceType string `json:"ResourceType"`
	ResourceName string `json:"ResourceName"`
}

func (s *Server) lookupEvents(ctx context.Context, c *call) (any, error) {
	var in lookupEventsIn
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	p := service.LookupParams{EventCategory: in.EventCategory, MaxResults: in.MaxResults,
		NextToken: in.NextToken, Region: callRegion(ctx)}
	for i, a := range in.LookupAttributes {
		if a.AttributeKey == nil || a.AttributeValue == nil {
			return nil, sluice.Errorf(sluice.EInvalid, "LookupAttributes",
				"LookupAttributes[%d] needs both AttributeKey and AttributeValue.", i)
		}
		p.Attributes = append(p.Attributes, service.LookupAttribute{Key: *a.AttributeKey, Value: *a.AttributeValue})
	}
	if in.StartTime != nil {
		t := time.Time(*in.StartTime)
		p.Start = &t
	}
	if in.EndTime != nil {
		t := time.Time(*in.EndTime)
		p.End = &t
	}
	evs, next, err := s.Service.LookupEvents(ctx, c.caller, p)
	if err != nil {
		return nil, err
	}
	out := struct {
		Events    []trailEventOut `json:"Events"`
		NextToken string          `json:"NextToken,omitempty"`
	}{Events: []trailEventOut{}, NextToken: next}
	for _, ev := range evs {
		out.Events = append(out.Events, trailEvent(ev))
	}
	return out, nil
}

func trailEvent(ev *sluice.AuditEvent) trailEventOut {
	at := ev.EventTime.Truncate(time.Second)
	o := trailEventOut{EventID: ev.EventID, EventName: ev.EventName, ReadOnly: strconv.FormatBool(ev.ReadOnly),
		AccessKeyID: ev.UserIdentity.AccessKeyID, EventTime: ts(at), EventSource: ev.EventSource,
		Username: ev.UserIdentity.Username(), Resources: []trailResourceOut{}, CloudTrailEvent: string(audit.Marshal(ev))}
	for _, r := range ev.Resources {
		o.Resources = append(o.Resources, trailResourceOut{ResourceType: r.Type, ResourceName: r.Name})
	}
	return o
}

// callRegion is the region the call was signed for, as its record has it: CloudTrail answers
// with the events of the region it is asked in.
func callRegion(ctx context.Context) string {
	if rec := sluice.AuditRecordOf(ctx); rec != nil {
		return rec.Event().AWSRegion
	}
	return ""
}
