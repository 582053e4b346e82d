package delivery

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"sluice"
)

// SNSHTTP delivers SNS messages to http and https subscriptions (§3.3): the signed JSON
// body, or with RawMessageDelivery the message alone, unsigned.
type SNSHTTP struct {
	Client *http.Client
	Signer *Signer
	URLs   URLs
}

// Send posts d once.
func (s *SNSHTTP) Send(ctx context.Context, d *sluice.Delivery) Result {
	body := []byte(d.Message)
	raw := d.Raw && (d.Type == "" || d.Type == TypeNotification)
	if !raw {
		m, err := Envelope(d, s.Signer, s.URLs)
		if err != nil {
			return Result{Err: err}
		}
		body = m.JSON()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.Endpoint, strings.NewReader(string(body)))
	if err != nil {
		return Result{Err: errors.New("the endpoint is not a URL"), Permanent: true}
	}
	h := req.Header
	typ := d.Type
	if typ == "" {
		typ = TypeNotification
	}
	h.Set("x-amz-sns-message-type", typ)
	h.Set("x-amz-sns-message-id", d.ID)
	h.Set("x-amz-sns-topic-arn", d.TopicARN)
	if typ != TypeSubscriptionConfirmation {
		h.Set("x-amz-sns-subscription-arn", d.Target)
	}
	if raw {
		h.Set("x-amz-sns-rawdelivery", "true")
	}
	h.Set("Content-Type", "text/plain; charset=UTF-8")
	h.Set("User-Agent", "Amazon Simple Notification Service Agent")
	r, _ := post(s.Client, req)
	return r
}
