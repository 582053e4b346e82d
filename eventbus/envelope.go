// Package eventbus renders the outbox's events as EventBridge events: the envelope every
// rule, notification rule and stream reader sees, with CodePipeline's detail fields. It is
// pure: what it renders depends on the record and the scope alone, so a record rendered
// twice (a redelivery) is the same event, byte for byte.
package eventbus

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"sluice"
)

// Scope is where the events happen: the account and region of their ARNs, where artifacts
// are (Locate maps an artifact key to its bucket and object key; nil: Bucket and the key),
// and Salt, which makes the ids derived from record ids unique to one installation (the
// server id of the data directory).
type Scope struct {
	sluice.ARNScope
	Bucket string
	Locate func(key string) (bucket, objectKey string)
	Salt   string
}

// Envelope is an EventBridge event.
type Envelope struct {
	Version    string          `json:"version"`
	ID         string          `json:"id"`
	DetailType string          `json:"detail-type"`
	Source     string          `json:"source"`
	Account    string          `json:"account"`
	Time       string          `json:"time"`
	Region     string          `json:"region"`
	Resources  []string        `json:"resources"`
	Detail     json.RawMessage `json:"detail"`

	// Record is the outbox record the event was rendered from (not part of the JSON): its
	// id orders the stream, and its Event is what routes read typed.
	Record *sluice.OutboxRecord `json:"-"`
}

// Envelope renders rec.
func (s Scope) Envelope(rec *sluice.OutboxRecord) *Envelope {
	ev := &rec.Event
	id := ev.ID
	if id == "" {
		id = EventID(s.Salt, rec.ID)
	}
	at := ev.Time
	if at.IsZero() {
		at = rec.Created
	}
	env := &Envelope{Version: "0", ID: id, DetailType: ev.DetailType, Source: ev.EventSource(),
		Account: s.Account, Time: at.UTC().Format(time.RFC3339), Region: s.Region, Resources: []string{}, Record: rec}
	switch {
	case ev.DetailType == sluice.DetailScheduled:
		env.Resources = append(env.Resources, ev.Rule)
		env.Detail = json.RawMessage("{}")
	case ev.PipelineName != "":
		env.Resources = append(env.Resources, s.ARN(sluice.PipelineARN, ev.PipelineName))
		env.Detail = mustJSON(s.detail(ev))
	case ev.RawDetail != "":
		env.Resources = append(env.Resources, ev.Resources...)
		env.Detail = compact(ev.RawDetail)
	default:
		env.Resources = append(env.Resources, ev.Resources...)
		env.Detail = mustJSON(ev.Detail)
	}
	return env
}

// JSON is the event as EventBridge sends it to targets, compact.
func (e *Envelope) JSON() []byte { return mustJSON(e) }

// Value is the event decoded as a pattern matcher reads it: objects, arrays, strings,
// json.Number, booleans and nil.
func (e *Envelope) Value() map[string]any {
	d := json.NewDecoder(bytes.NewReader(e.JSON()))
	d.UseNumber()
	var v map[string]any
	if err := d.Decode(&v); err != nil {
		panic(fmt.Sprintf("eventbus: decode own envelope: %v", err)) // it was just encoded
	}
	return v
}

// EventID is the id of the event of outbox record recID: a UUID-shaped hash of the
// installation's salt and the record id, so a record delivered again has the same id.
func EventID(salt string, recID int64) string {
	h := sha256.Sum256([]byte(salt + "/outbox/" + strconv.FormatInt(recID, 10)))
	h[6] = h[6]&0x0f | 0x50 // version 5 (name-based), variant RFC 4122
	h[8] = h[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("eventbus: encode: %v", err)) // only plain values are encoded
	}
	return b
}

// compact is a custom event's detail as one line; detail that is not JSON (which PutEvents
// refuses) comes out as an empty object.
func compact(detail string) json.RawMessage {
	var b bytes.Buffer
	if err := json.Compact(&b, []byte(detail)); err != nil {
		return json.RawMessage("{}")
	}
	return b.Bytes()
}
