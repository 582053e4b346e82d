// Package client calls the operations of a Sluice server that the official AWS SDK clients
// do not have (Sluice's own targets, such as the function registry and `sluice worker`'s
// poll) as SigV4-signed AWS JSON 1.1 requests. It imports nothing of the server.
package client

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// Client calls one server. It is safe for concurrent use.
type Client struct {
	endpoint string
	region   string
	creds    aws.CredentialsProvider
	http     *http.Client
	signer   *v4.Signer
}

// New returns a client of the server at endpoint (its base URL) signing for region (any:
// the server accepts every region) with creds; hc nil is http.DefaultClient.
func New(endpoint, region string, creds aws.CredentialsProvider, hc *http.Client) *Client {
	if hc == nil {
		hc = http.DefaultClient
	}
	return &Client{endpoint: endpoint, region: region, creds: creds, http: hc, signer: v4.NewSigner()}
}

// APIError is an error the server answered.
type APIError struct {
	Target  string
	Type    string // the exception name, as ResourceNotFoundException
	Message string
	Status  int
}

func (e *APIError) Error() string {
	return fmt.Sprintf("%s: %s: %s (HTTP %d)", e.Target, e.Type, e.Message, e.Status)
}

// Call makes one call of target (as "SluiceFunctions_20261129.PutFunction"), signed for
// service, sending in as JSON and decoding the answer into out (unless nil). An error answer is an
// *APIError. A call whose connection broke is made again (see Retry).
func (c *Client) Call(ctx context.Context, target, service string, in, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return err
	}
	return Retry(ctx, func() error { return c.call(ctx, target, service, body, out) })
}

func (c *Client) call(ctx context.Context, target, service string, body []byte, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint+"/", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", target)
	creds, err := c.creds.Retrieve(ctx)
	if err != nil {
		return fmt.Errorf("credentials: %w", err)
	}
	sum := sha256.Sum256(body)
	if err := c.signer.SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), service, c.region, time.Now()); err != nil {
		return err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		var e struct {
			Type    string `json:"__type"`
			Message string `json:"message"`
		}
		_ = json.Unmarshal(raw, &e)
		return &APIError{Target: target, Type: e.Type, Message: e.Message, Status: resp.StatusCode}
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("%s: %w", target, err)
	}
	return nil
}
