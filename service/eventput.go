package service

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"time"

	"sluice"
)

// PutEventsEntry is one custom event (PutEvents).
type PutEventsEntry struct {
	Source, DetailType, Detail, EventBus string
	Resources                            []string
	Time                                 time.Time
}

// PutEventsResult is one entry's outcome: its event id, or why it was refused.
type PutEventsResult struct {
	EventID, ErrorCode, ErrorMessage string
}

// PutEvents adds custom events to the outbox, where rules see them as they see the
// pipelines' events. Entries are refused one by one (the answer says which); the others
// commit together.
func (s *Service) PutEvents(ctx context.Context, c sluice.Caller, entries []PutEventsEntry) ([]PutEventsResult, error) {
	if err := s.allow(ctx, c, actPutEvents, s.Scope().ARN(sluice.EventBusARN, defaultBus)); err != nil {
		return nil, err
	}
	out := make([]PutEventsResult, len(entries))
	var events []sluice.Event
	now := s.Now()
	for i, e := range entries {
		if code, msg := s.checkEntry(e); code != "" {
			out[i] = PutEventsResult{ErrorCode: code, ErrorMessage: msg}
			continue
		}
		at := e.Time
		if at.IsZero() {
			at = now
		}
		id := s.IDs.NewID()
		out[i].EventID = id
		events = append(events, sluice.Event{ID: id, Source: e.Source, DetailType: e.DetailType, RawDetail: e.Detail,
			Resources: e.Resources, Time: at.UTC()})
	}
	if len(events) == 0 {
		return out, nil
	}
	return out, s.Store.AddEvents(ctx, events...)
}

// checkEntry is PutEvents' refusal of one entry (its ErrorCode and ErrorMessage).
func (s *Service) checkEntry(e PutEventsEntry) (string, string) {
	switch {
	case s.CheckEventBus(e.EventBus) != nil:
		return "InvalidArgument", "Event bus " + e.EventBus + " does not exist."
	case e.Source == "":
		return "InvalidArgument", "Parameter Source is not valid. Reason: Source is a required argument."
	case e.DetailType == "":
		return "InvalidArgument", "Parameter DetailType is not valid. Reason: DetailType is a required argument."
	case e.Detail == "":
		return "InvalidArgument", "Parameter Detail is not valid. Reason: Detail is a required argument."
	case strings.HasPrefix(e.Source, "aws."):
		return "NotAuthorizedForSourceException", "Not authorized for the source."
	}
	var obj map[string]any
	if err := json.Unmarshal([]byte(e.Detail), &obj); err != nil || obj == nil {
		return "MalformedDetail", "Detail is malformed."
	}
	return "", ""
}

// eventFields are the fields TestEventPattern's event must have.
var eventFields = []string{"id", "account", "source", "time", "region", "detail-type"}

// TestEventPattern reports whether event matches pattern (InvalidEventPatternException for
// the pattern; ValidationException for an event that is not one).
func (s *Service) TestEventPattern(ctx context.Context, c sluice.Caller, pattern, event string) (bool, error) {
	if err := s.allow(ctx, c, actTestEventPattern, anyResource); err != nil {
		return false, err
	}
	p, err := CompileEventPattern(pattern)
	if err != nil {
		return false, err
	}
	d := json.NewDecoder(bytes.NewReader([]byte(event)))
	d.UseNumber()
	var v map[string]any
	if err := d.Decode(&v); err != nil || v == nil {
		return false, eventErr("Parameter Event is not valid.")
	}
	for _, f := range eventFields {
		if _, ok := v[f]; !ok {
			return false, eventErr("Parameter Event is not valid. Reason: the event has no %s.", f)
		}
	}
	return p.Match(v), nil
}
