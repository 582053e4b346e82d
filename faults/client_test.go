package faults

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/smithy-go"

	"sluice/node/nodetest"
)

// client calls the API on any replica: each call goes to one picked at random, and a call
// that fails for a reason a replica's death or a database restart explains (no answer, a
// broken connection, a 5xx, throttling) is tried again on another, for up to two minutes.
// The SDK's own retries are off, so every retry is this one, counted.
type client struct {
	cps []*codepipeline.Client

	mu        sync.Mutex
	transient map[string]int // retried errors by kind, for the report
}

func newClient(urls []string) *client {
	c := &client{transient: map[string]int{}}
	for _, u := range urls {
		c.cps = append(c.cps, sdkClient(u))
	}
	return c
}

func sdkClient(url string) *codepipeline.Client {
	cfg := aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider(nodetest.KeyID, nodetest.Secret, ""),
		Retryer:    func() aws.Retryer { return aws.NopRetryer{} },
		HTTPClient: &http.Client{Timeout: 30 * time.Second}}
	return codepipeline.NewFromConfig(cfg, func(o *codepipeline.Options) { o.BaseEndpoint = aws.String(url) })
}

// Call runs f against replicas until it succeeds or fails for a reason of its own.
func (c *client) Call(ctx context.Context, what string, f func(*codepipeline.Client) error) error {
	deadline := time.Now().Add(2 * time.Minute)
	for attempt := 0; ; attempt++ {
		err := f(c.cps[rand.IntN(len(c.cps))])
		kind, retry := transient(err)
		if !retry {
			return err
		}
		c.mu.Lock()
		c.transient[kind]++
		c.mu.Unlock()
		if time.Now().After(deadline) {
			return fmt.Errorf("%s: still failing after two minutes of retries: %w", what, err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(min(25*time.Millisecond<<min(attempt, 6), time.Second)):
		}
	}
}

// Transient is the count of retried errors by kind.
func (c *client) Transient() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := map[string]int{}
	for k, v := range c.transient {
		out[k] = v
	}
	return out
}

// transient says whether err is one a retry on another replica may cure, and its kind.
func transient(err error) (string, bool) {
	if err == nil {
		return "", false
	}
	var oe *net.OpError
	if errors.As(err, &oe) || errors.Is(err, net.ErrClosed) || errors.Is(err, io.ErrUnexpectedEOF) {
		// Refused, reset, cut off: the replica is gone or going. Also seen on reading a 200's
		// body, the SDK's "use of closed network connection" (issue 13, item 5).
		var de *smithy.DeserializationError
		if errors.As(err, &de) {
			return "broken connection while reading an answer", true
		}
		return "no answer", true
	}
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		code := re.HTTPStatusCode()
		if code == 0 { // the request got no answer
			return "no answer", true
		}
		var ae smithy.APIError
		name := fmt.Sprint(code)
		if errors.As(err, &ae) {
			name += " " + ae.ErrorCode()
		}
		return name, code >= 500 || code == http.StatusTooManyRequests
	}
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode(), false
	}
	if errors.Is(err, context.Canceled) {
		return "", false
	}
	return "no answer", true // refused, reset, timed out: the replica is gone or going
}
