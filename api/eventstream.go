package api

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"sluice"
	"sluice/service"
)

// EventsPath is where the event stream is served (see EventsHandler).
const EventsPath = "/v1/events"

// eventsKeepAlive is how often an idle stream sends a comment, so that proxies and clients
// see it alive.
const eventsKeepAlive = 15 * time.Second

// eventsPage is the most records one read of the stream looks at.
const eventsPage = 200

// EventsHandler serves the events of the outbox as Server-Sent Events to clients signing
// with a Sluice access key:
//
//	GET /v1/events[?pipeline=P][&type=DETAIL-TYPE]...[&after=N][&follow=false]
//
// Each event is one SSE message: `id` the outbox record id (resume with Last-Event-ID or
// after=N), `event` the detail type, `data` the EventBridge event JSON (whose own id is
// stable across redeliveries). Without a cursor the stream starts at its end: only events
// that commit afterwards. follow=false ends the response once the retained events are sent.
func (s *Server) EventsHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start, reqID := time.Now(), s.IDs.NewID()
		w.Header().Set("x-amzn-RequestId", reqID)
		c, f, follow, err := s.checkEventsCall(w, r)
		if err != nil {
			s.eventsCall(r, c, reqID, start, err)
			writeTextError(w, s.Log, reqID, s.account(), err)
			return
		}
		h := w.Header()
		h.Set("Content-Type", "text/event-stream; charset=utf-8")
		h.Set("Cache-Control", "no-store")
		h.Set("X-Accel-Buffering", "no")
		w.WriteHeader(http.StatusOK)
		err = s.streamEvents(r.Context(), w, c, f, follow)
		if err != nil { // the status is sent: the stream just ends
			s.Log.Error("internal error", "request_id", reqID, "err", err)
		}
		s.eventsCall(r, c, reqID, start, err)
	})
}

func (s *Server) checkEventsCall(w http.ResponseWriter, r *http.Request) (sluice.Caller, service.EventFilter, bool, error) {
	_, id, err := s.readVerified(w, r, 0, sluice.ELimit)
	if err != nil {
		return sluice.Caller{}, service.EventFilter{}, false, err
	}
	c := callerOf(r, id)
	f, follow, err := eventsQuery(r.URL.Query(), r.Header.Get("Last-Event-ID"))
	if err == nil {
		// Ask before the stream starts: a caller with no access to the pipeline named is
		// refused with a status, not a stream that ends at once. Without a cursor the
		// answer is the outbox's end, where the stream starts.
		probe := f
		probe.After = -1
		var page *service.EventPage
		if page, err = s.Service.ReadEvents(r.Context(), c, probe); err == nil && f.After < 0 {
			f.After = page.Next
		}
	}
	return c, f, follow, err
}

// eventsQuery reads the stream's filters and cursor; Last-Event-ID wins over after.
func eventsQuery(q url.Values, lastID string) (service.EventFilter, bool, error) {
	f := service.EventFilter{After: -1, Pipeline: q.Get("pipeline"), Types: q["type"], Limit: eventsPage}
	cursor := q.Get("after")
	if lastID != "" {
		cursor = lastID
	}
	if cursor != "" {
		n, err := strconv.ParseInt(cursor, 10, 64)
		if err != nil || n < 0 {
			return f, false, sluice.Errorf(sluice.EInvalid, "", "after %q is not an event id (an integer >= 0)", cursor)
		}
		f.After = n
	}
	follow := true
	if v := q.Get("follow"); v != "" {
		var err error
		if follow, err = strconv.ParseBool(v); err != nil {
			return f, false, sluice.Errorf(sluice.EInvalid, "", "follow %q is not true or false", v)
		}
	}
	return f, follow, nil
}

// streamEvents writes the events after f.After, then, when following, waits for more. The
// wake-up channel is taken before each read, so an event that commits after the read wakes
// the wait.
func (s *Server) streamEvents(ctx context.Context, w http.ResponseWriter, c sluice.Caller, f service.EventFilter, follow bool) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	wake, err := s.Service.EventsChanged(ctx)
	if err != nil {
		return err
	}
	rc := http.NewResponseController(w)
	if _, err := fmt.Fprint(w, ": sluice events\n\n"); err != nil {
		return nil
	}
	_ = rc.Flush()
	alive := time.NewTicker(eventsKeepAlive)
	defer alive.Stop()
	for {
		page, err := s.Service.ReadEvents(ctx, c, f)
		if err != nil {
			return ignoreGone(ctx, err)
		}
		for _, env := range page.Events {
			if _, err := fmt.Fprintf(w, "id: %d\nevent: %s\ndata: %s\n\n", env.Record.ID, env.DetailType, env.JSON()); err != nil {
				return nil // the client went away
			}
		}
		_ = rc.Flush()
		more := page.Next > f.After
		f.After = page.Next
		if more {
			continue // read until a read finds nothing new
		}
		if !follow {
			return nil
		}
		select {
		case <-wake:
		case <-alive.C:
			if _, err := fmt.Fprint(w, ": keep-alive\n\n"); err != nil {
				return nil
			}
			_ = rc.Flush()
		case <-ctx.Done():
			return nil
		case <-s.stopFollowing():
			return nil
		}
	}
}

func ignoreGone(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return nil
	}
	return err
}

func (s *Server) eventsCall(r *http.Request, c sluice.Caller, reqID string, start time.Time, err error) {
	s.Log.Info("api call", "request_id", reqID, "op", "GetEvents", "principal", c.Principal, "path", r.URL.Path,
		"remote", r.RemoteAddr, "outcome", outcome(err), "duration", time.Since(start))
}
