// Package eventforward sends every event of the outbox to a real Amazon EventBridge bus with
// PutEvents (--forward-events), so rules, archives and targets on AWS see Sluice's pipelines
// as they see CodePipeline's. It is an outbox consumer's handler: at least once, in commit
// order; a batch EventBridge did not take comes again.
package eventforward

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"sluice"
	"sluice/eventbus"
)

// maxEntries is how many entries one PutEvents call takes.
const maxEntries = 10

// Forwarder forwards events to Bus (an event bus ARN or name) in Region, at Endpoint
// (default https://events.<Region>.amazonaws.com), signed with Credentials.
type Forwarder struct {
	Bus         string
	Region      string
	Endpoint    string
	Credentials aws.CredentialsProvider
	Client      *http.Client // nil: http.DefaultClient
	Scope       eventbus.Scope
	Log         *slog.Logger
	// Retries is how many times entries that EventBridge failed with a throttling or
	// internal error are sent again within one call of Handle (0: 3).
	Retries int
}

// entry is one PutEvents entry.
type entry struct {
	Time         int64    `json:"Time"`
	Source       string   `json:"Source"`
	Resources    []string `json:"Resources"`
	DetailType   string   `json:"DetailType"`
	Detail       string   `json:"Detail"`
	EventBusName string   `json:"EventBusName"`
}

// Source is the source an event is forwarded with: EventBridge refuses sources that start
// with "aws." from PutEvents, so aws.codepipeline becomes sluice.codepipeline (and
// aws.events sluice.events); other sources are kept.
func Source(src string) string {
	if rest, ok := strings.CutPrefix(src, "aws."); ok {
		return "sluice." + rest
	}
	return src
}

// Handle forwards a batch of records. It returns an error when EventBridge could not be
// reached, answered an error, or kept failing entries with retryable codes: the batch then
// comes again (its entries that did go are sent twice). Entries refused for good (too large,
// malformed) are logged and dropped.
func (f *Forwarder) Handle(ctx context.Context, recs []*sluice.OutboxRecord) error {
	var entries []entry
	for _, rec := range recs {
		env := f.Scope.Envelope(rec)
		t, _ := time.Parse(time.RFC3339, env.Time)
		entries = append(entries, entry{Time: t.Unix(), Source: Source(env.Source), Resources: env.Resources,
			DetailType: env.DetailType, Detail: string(env.Detail), EventBusName: f.Bus})
	}
	for len(entries) > 0 {
		n := min(len(entries), maxEntries)
		if err := f.send(ctx, entries[:n]); err != nil {
			return err
		}
		entries = entries[n:]
	}
	return nil
}

// send puts entries, sending again those failed with a retryable code.
func (f *Forwarder) send(ctx context.Context, entries []entry) error {
	retries := f.Retries
	if retries <= 0 {
		retries = 3
	}
	for try := 0; ; try++ {
		failed, err := f.putEvents(ctx, entries)
		if err != nil || len(failed) == 0 {
			return err
		}
		if try == retries {
			return fmt.Errorf("eventforward: EventBridge failed %d entries %d times", len(failed), try+1)
		}
		entries = failed
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(100<<try) * time.Millisecond):
		}
	}
}

type putResult struct {
	FailedEntryCount int
	Entries          []struct{ EventId, ErrorCode, ErrorMessage string }
}

// retryable are the entry error codes worth sending again.
var retryable = map[string]bool{"InternalFailure": true, "ThrottlingException": true, "InternalException": true}

// putEvents makes one PutEvents call and returns the entries to send again.
func (f *Forwarder) putEvents(ctx context.Context, entries []entry) ([]entry, error) {
	body, err := json.Marshal(map[string]any{"Entries": entries})
	if err != nil {
		return nil, err
	}
	resp, err := f.call(ctx, body)
	if err != nil {
		return nil, err
	}
	var again []entry
	for i, e := range resp.Entries {
		switch {
		case e.ErrorCode == "" || i >= len(entries):
		case retryable[e.ErrorCode]:
			again = append(again, entries[i])
		default:
			f.Log.Warn("eventforward: EventBridge refused an event; it is dropped", "detail_type", entries[i].DetailType,
				"code", e.ErrorCode, "message", e.ErrorMessage)
		}
	}
	return again, nil
}

func (f *Forwarder) endpoint() string {
	if f.Endpoint != "" {
		return strings.TrimSuffix(f.Endpoint, "/") + "/"
	}
	return "https://events." + f.Region + ".amazonaws.com/"
}

// call signs and sends one PutEvents request.
func (f *Forwarder) call(ctx context.Context, body []byte) (*putResult, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, f.endpoint(), bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "AWSEvents.PutEvents")
	creds, err := f.Credentials.Retrieve(ctx)
	if err != nil {
		return nil, fmt.Errorf("eventforward: credentials: %w", err)
	}
	sum := sha256.Sum256(body)
	if err := v4.NewSigner().SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), "events", f.Region, time.Now()); err != nil {
		return nil, err
	}
	client := f.Client
	if client == nil {
		client = http.DefaultClient
	}
	res, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("eventforward: %w", err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("eventforward: %w", err)
	}
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("eventforward: EventBridge answered %d: %s", res.StatusCode, bytes.TrimSpace(b))
	}
	var out putResult
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, fmt.Errorf("eventforward: EventBridge's answer: %w", err)
	}
	return &out, nil
}
