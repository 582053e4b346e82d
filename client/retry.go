package client

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
)

// Attempts is how many times a call that failed for a transient reason is made in all.
const Attempts = 4

// Transient reports whether err is a failure of the connection under a call, which the same
// call on a new connection does not meet: the server closed a kept-alive connection as the
// call was sent on it (the socket closed under the read or write, an EOF before any answer,
// a reset). An answer of the server, a cancelled context and a refused dial are not.
func Transient(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	if errors.Is(err, net.ErrClosed) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return true
	}
	// The transport's own words, when it does not wrap the cause.
	msg := err.Error()
	for _, s := range []string{"use of closed network connection", "connection reset", "broken pipe",
		"server closed idle connection", "unexpected EOF"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

// Retry runs call until it returns nil or an error that is not Transient, at most Attempts
// times, waiting 50 ms, 100 ms, 200 ms between attempts (unless ctx ends). The call must be
// safe to make again: one whose connection broke may or may not have reached the server.
func Retry(ctx context.Context, call func() error) error {
	wait := 50 * time.Millisecond
	for attempt := 1; ; attempt++ {
		err := call()
		if attempt == Attempts || !Transient(err) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(wait):
		}
		wait *= 2
	}
}

// Retryer is the AWS SDK retryer of Sluice's own clients (`sluice worker`, `sluice logs`):
// the SDK's standard one, which also retries what Transient calls transient, Attempts times
// in all, backing off up to 2 s. It has no retry quota: a worker runs for weeks against one
// server, and a quota drained by a restart of the server would turn every later transient
// failure into an error.
func Retryer() aws.Retryer { return retryer(Attempts, 2*time.Second) }

// ArtifactAttempts is how many times a worker makes an artifact transfer that failed for a
// reason that may pass, in all.
const ArtifactAttempts = 12

// ArtifactRetryer is Retryer for a job's artifact transfers, which the job cannot do
// without: it also rides out a server or its database restarting (answers 5xx, connections
// refused for a while), backing off up to 5 s, about a minute in all, well within the job's
// lease, which the worker keeps renewing meanwhile.
func ArtifactRetryer() aws.Retryer { return retryer(ArtifactAttempts, 5*time.Second) }

func retryer(attempts int, maxBackoff time.Duration) aws.Retryer {
	return retry.NewStandard(func(o *retry.StandardOptions) {
		o.MaxAttempts = attempts
		o.MaxBackoff = maxBackoff
		o.RateLimiter = ratelimit.None
		o.Retryables = append([]retry.IsErrorRetryable{retry.IsErrorRetryableFunc(func(err error) aws.Ternary {
			if Transient(err) {
				return aws.TrueTernary
			}
			return aws.UnknownTernary
		})}, o.Retryables...)
	})
}
