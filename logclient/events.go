package logclient

import (
	"bufio"
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// eventsPath is where the server streams events (api.EventsPath).
const eventsPath = "/v1/events"

// EventsParams says which events to read.
type EventsParams struct {
	Pipeline string
	Types    []string
	// After is the id of the last event read (the SSE id); negative starts at the end.
	After  int64
	Follow bool
}

// StreamEvent is one message of the event stream.
type StreamEvent struct {
	ID         int64  // the outbox record id: resume after it
	DetailType string // the SSE event name
	Data       string // the EventBridge event JSON
}

// Events reads the event stream, calling fn for each event until the stream ends (without
// Follow, once the retained events are sent), ctx ends or fn returns an error. It returns
// the id of the last event read, to resume after.
func (c *Client) Events(ctx context.Context, p EventsParams, fn func(StreamEvent) error) (int64, error) {
	q := url.Values{}
	if p.Pipeline != "" {
		q.Set("pipeline", p.Pipeline)
	}
	for _, t := range p.Types {
		q.Add("type", t)
	}
	if p.After >= 0 {
		q.Set("after", strconv.FormatInt(p.After, 10))
	}
	q.Set("follow", strconv.FormatBool(p.Follow))
	resp, err := c.do(ctx, http.MethodGet, strings.TrimSuffix(c.BaseURL, "/")+eventsPath+"?"+q.Encode(), nil)
	if err != nil {
		return p.After, err
	}
	defer resp.Body.Close()
	return readSSE(resp, p.After, fn)
}

// readSSE parses Server-Sent Events: fields up to a blank line make one message; lines
// starting with ':' are comments.
func readSSE(resp *http.Response, last int64, fn func(StreamEvent) error) (int64, error) {
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	var ev StreamEvent
	var data []string
	for sc.Scan() {
		line := sc.Text()
		if line == "" {
			if len(data) > 0 {
				ev.Data = strings.Join(data, "\n")
				if err := fn(ev); err != nil {
					return last, err
				}
				last = ev.ID
			}
			ev, data = StreamEvent{}, nil
			continue
		}
		field, value, _ := strings.Cut(line, ":")
		value = strings.TrimPrefix(value, " ")
		switch field {
		case "id":
			ev.ID, _ = strconv.ParseInt(value, 10, 64)
		case "event":
			ev.DetailType = value
		case "data":
			data = append(data, value)
		}
	}
	return last, sc.Err()
}
