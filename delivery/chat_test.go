package delivery_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/delivery"
	"sluice/netguard"
)

// channels is a chat channel store of one channel per ARN.
type channels map[string]*sluice.ChatChannel

func (c channels) GetChatChannel(_ context.Context, arn string) (*sluice.ChatChannel, error) {
	if ch, ok := c[arn]; ok {
		return ch, nil
	}
	return nil, sluice.Errorf(sluice.ENotFound, "ChatChannel", "no chat channel %s", arn)
}

// slack is a receiver that answers as Slack's incoming webhooks do: 200 "ok" for a JSON body
// with a text, 400 "invalid_payload" or "no_text" otherwise.
func slack(t *testing.T) (*httptest.Server, <-chan map[string]any) {
	t.Helper()
	got := make(chan map[string]any, 4)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		var m map[string]any
		if r.Header.Get("Content-Type") != "application/json" || json.Unmarshal(b, &m) != nil {
			http.Error(w, "invalid_payload", http.StatusBadRequest)
			return
		}
		if _, ok := m["text"].(string); !ok {
			http.Error(w, "no_text", http.StatusBadRequest)
			return
		}
		got <- m
		_, _ = io.WriteString(w, "ok")
	}))
	t.Cleanup(srv.Close)
	return srv, got
}

const slackARN = "arn:aws:chatbot::000000000000:chat-configuration/slack-channel/ops"

func chatDelivery(protocol, body string) *sluice.Delivery {
	return &sluice.Delivery{ID: "c-1", Target: slackARN, Protocol: protocol, Endpoint: slackARN, Message: body}
}

func TestChat(t *testing.T) {
	t.Parallel()
	client := delivery.NewHTTPClient(netguard.Guard{AllowLocal: true}, nil)
	t.Run("SlackTakesTheBody", func(t *testing.T) {
		t.Parallel()
		srv, got := slack(t)
		c := &delivery.Chat{Client: client, Channels: channels{slackARN: {ARN: slackARN, Kind: sluice.ProtocolSlack, URL: srv.URL + "/services/T1/B2/x"}}}
		body := `{"text":"Pipeline web FAILED at stage Build","blocks":[{"type":"section","text":{"type":"mrkdwn","text":"*web* failed"}}]}`
		r := c.Send(t.Context(), chatDelivery(sluice.ProtocolSlack, body))
		require.NoError(t, r.Err)
		require.Equal(t, 200, r.StatusCode)
		require.Equal(t, "Pipeline web FAILED at stage Build", (<-got)["text"])
	})

	t.Run("SlackRefusalIsPermanent", func(t *testing.T) {
		t.Parallel()
		srv, _ := slack(t)
		c := &delivery.Chat{Client: client, Channels: channels{slackARN: {ARN: slackARN, URL: srv.URL}}}
		r := c.Send(t.Context(), chatDelivery(sluice.ProtocolSlack, `{"blocks":[]}`))
		require.ErrorContains(t, r.Err, "no_text")
		require.Equal(t, 400, r.StatusCode)
		require.True(t, r.Permanent)
	})

	t.Run("DeletedChannelIsPermanent", func(t *testing.T) {
		t.Parallel()
		r := (&delivery.Chat{Client: client, Channels: channels{}}).Send(t.Context(), chatDelivery(sluice.ProtocolSlack, `{"text":"x"}`))
		require.ErrorContains(t, r.Err, "no longer exists")
		require.True(t, r.Permanent)
	})

	t.Run("TeamsThrottledIn200IsRetried", func(t *testing.T) {
		t.Parallel()
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			_, _ = io.WriteString(w, "Microsoft Teams endpoint returned HTTP error 429 with ContextId ...")
		}))
		t.Cleanup(srv.Close)
		c := &delivery.Chat{Client: client, Channels: channels{slackARN: {ARN: slackARN, URL: srv.URL}}}
		r := c.Send(t.Context(), chatDelivery(sluice.ProtocolTeams, `{"type":"message"}`))
		require.Error(t, r.Err)
		require.False(t, r.Permanent)
	})

	t.Run("TeamsWorkflowAccepted", func(t *testing.T) {
		t.Parallel()
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusAccepted) }))
		t.Cleanup(srv.Close)
		c := &delivery.Chat{Client: client, Channels: channels{slackARN: {ARN: slackARN, URL: srv.URL}}}
		require.NoError(t, c.Send(t.Context(), chatDelivery(sluice.ProtocolTeams, `{"type":"message"}`)).Err)
	})

	t.Run("WebhookCarriesTheEventID", func(t *testing.T) {
		t.Parallel()
		srv, got := receiver(t, 200, "")
		w := &delivery.Webhook{Client: client}
		d := &sluice.Delivery{ID: "evt-1", Target: "arn:aws:events:us-east-1:000000000000:rule/r/t1", Protocol: sluice.ProtocolWebhook,
			Endpoint: srv.URL, Message: `{"id":"evt-1"}`}
		require.NoError(t, w.Send(t.Context(), d).Err)
		req := <-got
		require.Equal(t, "evt-1", req.header.Get("X-Sluice-Event-Id"))
		require.Equal(t, "application/json", req.header.Get("Content-Type"))
		require.JSONEq(t, `{"id":"evt-1"}`, string(req.body))
	})
}
