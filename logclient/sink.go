package logclient

import (
	"context"
	"io"
	"log/slog"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"sluice"
	"sluice/runner"
)

// Defaults of a Sink's batching.
const (
	DefaultFlushBytes    = 64 << 10
	DefaultFlushInterval = 250 * time.Millisecond
)

// Limits of what one writer sends and keeps.
const (
	maxAppend  = 1 << 20 // the server takes at most this much per append
	maxPending = 4 << 20 // bytes kept for a server that does not answer; older ones are dropped
	sendTime   = 30 * time.Second
)

// Sink is the runner.LogSink of a remote worker: each job's writer batches what the job
// logs and appends it to the job's action execution log on the server, when FlushBytes are
// pending, at most FlushInterval after a write, and at Close. The runner has already
// masked secrets; the server stores the bytes as sent.
//
// Sending never fails a job. A server that does not answer, or answers 5xx or 429, gets
// the bytes again at the next flush (keeping at most 4 MiB, the oldest dropped with a
// marker line); any other refusal (403, 404, or 409 once the action execution is no longer
// InProgress) stops that writer's sending. Close returns the first error, which Log also
// receives.
type Sink struct {
	Client        *Client
	FlushBytes    int           // 0 is DefaultFlushBytes
	FlushInterval time.Duration // 0 is DefaultFlushInterval
	Log           *slog.Logger  // nil logs nothing
}

var _ runner.LogSink = (*Sink)(nil)

// New returns a Sink appending to the server at baseURL (for example
// "http://sluice.internal:7080"), signing with creds for region; any region is accepted by
// the server. For a fixed access key pass
// credentials.NewStaticCredentialsProvider(keyID, secret, "").
func New(baseURL string, creds aws.CredentialsProvider, region string) *Sink {
	return &Sink{Client: &Client{BaseURL: baseURL, Credentials: aws.NewCredentialsCache(creds), Region: region}}
}

// Open returns the writer of one job's log; ref names the pipeline and the action
// execution. Sending outlives ctx: the last lines of a stopped job are the ones that
// explain it.
func (s *Sink) Open(ctx context.Context, ref sluice.ActionRef) (io.WriteCloser, error) {
	if ref.PipelineName == "" || ref.ActionRunID == "" {
		return nil, sluice.Errorf(sluice.EInvalid, "", "a remote log needs the pipeline name and the action execution id (got %q, %q)",
			ref.PipelineName, ref.ActionRunID)
	}
	return &writer{sink: s, ctx: context.WithoutCancel(ctx), ref: ref}, nil
}

func (s *Sink) flushBytes() int {
	if s.FlushBytes <= 0 {
		return DefaultFlushBytes
	}
	return s.FlushBytes
}

func (s *Sink) flushInterval() time.Duration {
	if s.FlushInterval <= 0 {
		return DefaultFlushInterval
	}
	return s.FlushInterval
}
