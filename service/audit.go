package service

import (
	"context"
	"time"

	"sluice"
)

var _ sluice.AuditRecorder = (*Service)(nil)

// RecordCall writes a call's record when no transaction of the call did, and completes the
// one a transaction wrote with the call's answer or error (see sluice.AuditRecord).
func (s *Service) RecordCall(ctx context.Context, rec *sluice.AuditRecord, response []byte, errorCode, errorMessage string) error {
	ev, written := rec.Finish(s.Now(), response, errorCode, errorMessage)
	if written && response == nil && errorCode == "" {
		return nil // the transaction's version is the whole record
	}
	// Detached: the record outlives a client that went away, and is no transaction's.
	ctx = sluice.WithAuditRecord(context.WithoutCancel(ctx), nil)
	return s.Store.AddAuditEvents(ctx, ev)
}

// LookupParams is a LookupEvents request.
type LookupParams struct {
	Attributes    []LookupAttribute
	Start, End    *time.Time
	EventCategory string
	MaxResults    *int
	NextToken     string
	// Region is the region the call was made in: only its events are returned ("": all).
	Region string
}

// LookupAttribute is one of LookupEvents' LookupAttributes.
type LookupAttribute struct{ Key, Value string }

// maxLookupResults is LookupEvents' largest and default page.
const maxLookupResults = 50

// LookupEvents answers CloudTrail's LookupEvents from the audit trail: newest first, by at
// most one attribute, within a time range.
func (s *Service) LookupEvents(ctx context.Context, c sluice.Caller, p LookupParams) ([]*sluice.AuditEvent, string, error) {
	if err := s.allow(ctx, c, "cloudtrail:LookupEvents", "*"); err != nil {
		return nil, "", err
	}
	q, err := lookupQuery(p)
	if err != nil || p.EventCategory == "insight" { // Sluice has no Insights events
		return nil, "", err
	}
	return s.Store.LookupAuditEvents(ctx, q)
}

// lookupQuery checks p as CloudTrail does and makes the store's query of it.
func lookupQuery(p LookupParams) (sluice.AuditQuery, error) {
	q := sluice.AuditQuery{Page: sluice.Page{Token: p.NextToken, Limit: maxLookupResults}, Region: p.Region}
	if p.MaxResults != nil {
		if *p.MaxResults < 1 || *p.MaxResults > maxLookupResults {
			return q, sluice.Errorf(sluice.EInvalid, "MaxResults", "Value %d for MaxResults is invalid. It must be between 1 and 50.", *p.MaxResults)
		}
		q.Limit = *p.MaxResults
	}
	if p.EventCategory != "" && p.EventCategory != "insight" {
		return q, sluice.Errorf(sluice.EInvalid, "EventCategory", "Event category %s is not valid. The only valid value is insight.", p.EventCategory)
	}
	if p.Start != nil {
		q.Start = *p.Start
	}
	if p.End != nil {
		q.End = *p.End
	}
	if p.Start != nil && p.End != nil && p.Start.After(*p.End) {
		return q, sluice.Errorf(sluice.EInvalid, "TimeRange", "Start time must not be after end time.")
	}
	switch len(p.Attributes) {
	case 0:
		return q, nil
	case 1:
	default:
		return q, sluice.Errorf(sluice.EInvalid, "LookupAttributes", "You can specify only one lookup attribute; %d were given.", len(p.Attributes))
	}
	a := p.Attributes[0]
	switch sluice.AuditAttribute(a.Key) {
	case sluice.AuditEventID, sluice.AuditEventName, sluice.AuditUsername, sluice.AuditResourceType,
		sluice.AuditResourceName, sluice.AuditEventSource, sluice.AuditAccessKeyID:
	case sluice.AuditReadOnly:
		if a.Value != "true" && a.Value != "false" {
			return q, sluice.Errorf(sluice.EInvalid, "LookupAttributes", "The value of the ReadOnly lookup attribute must be true or false.")
		}
	default:
		return q, sluice.Errorf(sluice.EInvalid, "LookupAttributes", "%s is not a valid lookup attribute key. Valid keys: EventId, EventName, ReadOnly, Username, ResourceType, ResourceName, EventSource, AccessKeyId.", a.Key)
	}
	if a.Value == "" || len(a.Value) > 2000 {
		return q, sluice.Errorf(sluice.EInvalid, "LookupAttributes", "The value of the %s lookup attribute must be 1 to 2000 characters long.", a.Key)
	}
	q.Key, q.Value = sluice.AuditAttribute(a.Key), a.Value
	return q, nil
}
