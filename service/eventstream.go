package service

import (
	"context"
	"slices"

	"sluice"
	"sluice/eventbus"
)

// EventFilter selects events of the stream (GET /v1/events, `sluice events`).
type EventFilter struct {
	// After is the id of the last record the reader has (the SSE id); a negative After
	// starts at the end: only events that commit afterwards.
	After    int64
	Pipeline string   // "" for every pipeline the caller may read
	Types    []string // detail types; none for all
	Limit    int      // records to look at (<= 0: 100)
}

// EventPage is what one read of the stream gives: the events, and the cursor to read
// after next (it moves past records filtered out too, so a reader never reads them again).
type EventPage struct {
	Events []*eventbus.Envelope
	Next   int64
}

// ReadEvents reads the events after f.After that the caller may see: those of a resource
// (the pipeline, or the rule of a scheduled event) on which sluice:GetEvents is allowed.
// With a pipeline in f, a caller denied on it gets AccessDenied; otherwise events of
// resources it may not see are left out silently.
func (s *Service) ReadEvents(ctx context.Context, c sluice.Caller, f EventFilter) (*EventPage, error) {
	seen := map[string]bool{} // resource ARN -> whether the caller may see its events
	if f.Pipeline != "" {
		if err := s.allow(ctx, c, actGetEvents, s.pipelineARN(f.Pipeline)); err != nil {
			return nil, err
		}
		seen[s.pipelineARN(f.Pipeline)] = true
	}
	after := f.After
	if after < 0 {
		end, err := s.Store.OutboxEnd(ctx)
		if err != nil {
			return nil, err
		}
		return &EventPage{Next: end}, nil
	}
	recs, err := s.Store.ReadOutboxAfter(ctx, after, f.Limit)
	if err != nil {
		return nil, err
	}
	page := &EventPage{Next: after}
	for _, rec := range recs {
		page.Next = rec.ID
		if !matchesFilter(&rec.Event, f) {
			continue
		}
		env := s.EventScope.Envelope(rec)
		if ok, err := s.mayRead(ctx, c, env, seen); err != nil {
			return nil, err
		} else if ok {
			page.Events = append(page.Events, env)
		}
	}
	return page, nil
}

func matchesFilter(ev *sluice.Event, f EventFilter) bool {
	if f.Pipeline != "" && ev.PipelineName != f.Pipeline {
		return false
	}
	return len(f.Types) == 0 || slices.Contains(f.Types, ev.DetailType)
}

// mayRead asks once per resource per read whether the caller may see its events.
func (s *Service) mayRead(ctx context.Context, c sluice.Caller, env *eventbus.Envelope, seen map[string]bool) (bool, error) {
	res := "*"
	if len(env.Resources) > 0 {
		res = env.Resources[0]
	}
	if ok, done := seen[res]; done {
		return ok, nil
	}
	err := s.allow(ctx, c, actGetEvents, res)
	if err != nil && sluice.ErrorCode(err) != sluice.EAccessDenied {
		return false, err
	}
	seen[res] = err == nil
	return err == nil, nil
}

// EventsChanged returns a channel that receives a value after events commit, until ctx
// ends: a stream reader waits on it between reads.
func (s *Service) EventsChanged(ctx context.Context) (<-chan struct{}, error) {
	return s.Store.Listen(ctx, sluice.TopicOutbox)
}
