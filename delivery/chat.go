package delivery

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"sluice"
)

// ChatChannels reads the chat channel a delivery names.
type ChatChannels interface {
	GetChatChannel(ctx context.Context, arn string) (*sluice.ChatChannel, error)
}

// Chat posts a chat delivery's Message (the body a notification rule rendered for Slack
// or Teams, §6) to its channel's incoming-webhook URL, read when it sends: a channel
// changed since the delivery was enqueued gets the post at its new URL. Slack answers
// 200 "ok" and its errors with 4xx; a legacy Teams connector answers 200 and reports its
// throttling in the body, which is retried; Teams workflows answer 202.
type Chat struct {
	Client   *http.Client
	Channels ChatChannels
}

// Send posts d once.
func (c *Chat) Send(ctx context.Context, d *sluice.Delivery) Result {
	ch, err := c.Channels.GetChatChannel(ctx, d.Endpoint)
	if sluice.ErrorCode(err) == sluice.ENotFound {
		return Result{Err: errors.New("the chat channel " + d.Endpoint + " no longer exists"), Permanent: true}
	}
	if err != nil {
		return Result{Err: err}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, ch.URL, strings.NewReader(d.Message))
	if err != nil {
		return Result{Err: errors.New("the chat channel's URL is not a URL"), Permanent: true}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", userAgent)
	r, body := post(c.Client, req)
	if r.Err == nil && d.Protocol == sluice.ProtocolTeams && strings.Contains(body, "429") {
		return Result{StatusCode: r.StatusCode, Err: errors.New("Teams throttled the post: " + truncate(body, 200))}
	}
	return r
}

// userAgent names Sluice to the destinations that are not SNS receivers.
const userAgent = "Sluice-Notifications/1"

// Webhook posts an EventBridge rule's HTTP target its event JSON (the delivery's Message).
type Webhook struct {
	Client *http.Client
}

// Send posts d once, with the event's id in X-Sluice-Event-Id so receivers drop duplicates.
func (w *Webhook) Send(ctx context.Context, d *sluice.Delivery) Result {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.Endpoint, strings.NewReader(d.Message))
	if err != nil {
		return Result{Err: errors.New("the endpoint is not a URL"), Permanent: true}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", userAgent)
	req.Header.Set("X-Sluice-Event-Id", d.ID)
	r, _ := post(w.Client, req)
	return r
}
