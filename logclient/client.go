// Package logclient is the client side of a Sluice server's action log endpoint
// (GET and POST /v1/logs/{pipeline}/{actionExecutionId}, see api.LogHandler): Sink, the
// runner.LogSink through which a remote worker sends the logs of the jobs it runs, and
// Client.Open, which reads or follows a log. Every request is signed with AWS Signature
// V4 and a Sluice access key.
package logclient

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"sluice/actionlog"
	"sluice/client"
)

// The endpoint's path and trailers, as api.LogHandler serves them (this package does not
// import the server's).
const (
	trailerOffset = "X-Sluice-Log-Offset"
	trailerStatus = "X-Sluice-Action-Status"
)

// signingService is the service name requests are signed for; the server accepts any.
const signingService = "codepipeline"

// Client calls the log endpoint of one server. Credentials and BaseURL are required. A
// Client is safe for concurrent use.
type Client struct {
	BaseURL     string                  // the server, e.g. http://127.0.0.1:7080
	Credentials aws.CredentialsProvider // a Sluice access key
	Region      string                  // the region requests are signed for; "" is us-east-1
	HTTPClient  *http.Client            // nil is http.DefaultClient
}

// ReadParams says which log to read and how.
type ReadParams struct {
	Pipeline          string
	ActionExecutionID string
	Offset            int64 // a byte offset of the log as written (see Log.End)
	Follow            bool  // keep reading until the action execution ends
}

// Error is a response of the endpoint other than success: 403 for a refused signature,
// 404 for an unknown pipeline or action execution, 409 for an append to an action
// execution that is not InProgress.
type Error struct {
	StatusCode int
	Message    string
}

func (e *Error) Error() string { return fmt.Sprintf("log endpoint: %d: %s", e.StatusCode, e.Message) }

// Log is the body of a log response. With Follow it ends when the action execution
// ends, the server shuts down or ctx of Open is canceled.
type Log struct {
	resp *http.Response
}

func (l *Log) Read(p []byte) (int, error) { return l.resp.Body.Read(p) }

func (l *Log) Close() error { return l.resp.Body.Close() }

// End reports, once the body was read to its end, the offset to resume at and the
// action execution's status when the response ended (InProgress when it ended before the
// action did); ok is false before that, or when the response was cut short.
func (l *Log) End() (offset int64, status string, ok bool) {
	offset, err := strconv.ParseInt(l.resp.Trailer.Get(trailerOffset), 10, 64)
	status = l.resp.Trailer.Get(trailerStatus)
	return offset, status, err == nil && status != ""
}

// Open requests a log; the caller reads and closes it.
func (c *Client) Open(ctx context.Context, p ReadParams) (*Log, error) {
	q := url.Values{}
	if p.Offset > 0 {
		q.Set("offset", strconv.FormatInt(p.Offset, 10))
	}
	if p.Follow {
		q.Set("follow", "true")
	}
	u := c.url(p.Pipeline, p.ActionExecutionID)
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	resp, err := c.do(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	return &Log{resp: resp}, nil
}

// Append adds p to the log of an InProgress action execution.
func (c *Client) Append(ctx context.Context, pipeline, actionExecutionID string, p []byte) error {
	resp, err := c.do(ctx, http.MethodPost, c.url(pipeline, actionExecutionID), p)
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.Body.Close()
}

func (c *Client) url(pipeline, id string) string {
	return strings.TrimSuffix(c.BaseURL, "/") + actionlog.URLPath(pipeline, id)
}

// do signs and sends a request; a status other than 2xx is an *Error. A request whose
// connection broke before the answer began is sent again (client.Retry): an append the
// server took before its connection broke is then written twice, as when the writer sends
// it again itself.
func (c *Client) do(ctx context.Context, method, u string, body []byte) (resp *http.Response, err error) {
	err = client.Retry(ctx, func() error {
		resp, err = c.send(ctx, method, u, body)
		return err
	})
	return resp, err
}

func (c *Client) send(ctx context.Context, method, u string, body []byte) (*http.Response, error) {
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, r)
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "text/plain; charset=utf-8")
	}
	if err := c.sign(ctx, req, body); err != nil {
		return nil, err
	}
	hc := c.HTTPClient
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode/100 != 2 {
		defer resp.Body.Close()
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		return nil, &Error{StatusCode: resp.StatusCode, Message: strings.TrimSpace(string(msg))}
	}
	return resp, nil
}

func (c *Client) sign(ctx context.Context, req *http.Request, body []byte) error {
	if c.Credentials == nil {
		return fmt.Errorf("log endpoint: no credentials to sign the request with")
	}
	creds, err := c.Credentials.Retrieve(ctx)
	if err != nil {
		return fmt.Errorf("log endpoint: credentials: %w", err)
	}
	region := c.Region
	if region == "" {
		region = "us-east-1"
	}
	sum := sha256.Sum256(body)
	return v4.NewSigner().SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), signingService, region, time.Now())
}
