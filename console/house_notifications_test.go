package console_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/service"
)

// addTopic creates a topic with an email subscription and two deliveries in its log: one
// delivered, one dead.
func (f *fixture) addTopic() (topic, sub string) {
	topic, err := f.core.CreateTopic(f.ctx, rootCaller, "alerts", nil, nil)
	require.NoError(f.t, err)
	sub, err = f.core.Subscribe(f.ctx, rootCaller, service.SubscribeParams{TopicARN: topic, Protocol: "email",
		Endpoint: "ops@example.com", ReturnSubscriptionArn: true})
	require.NoError(f.t, err)
	for _, id := range []string{"msg-ok", "msg-dead"} {
		d := &sluice.Delivery{ID: id, Target: sub, TopicARN: topic, Protocol: "email", Endpoint: "ops@example.com",
			Type: "Notification", Subject: "subject " + id, Message: "m", Created: f.clock.Now()}
		require.NoError(f.t, f.db.EnqueueDeliveries(f.ctx, d))
		status, msg := sluice.DeliveryDelivered, ""
		if id == "msg-dead" {
			status, msg = sluice.DeliveryFailed, "SMTP 550 mailbox unavailable"
		}
		d.Status, d.Attempts, d.LastError = status, 1, msg
		require.NoError(f.t, f.db.RecordDeliveryAttempt(f.ctx, d, sluice.DeliveryAttempt{DeliveryID: id, N: 1, At: f.clock.Now(),
			StatusCode: 250, Error: msg}))
	}
	return topic, sub
}

func TestNotificationsPage(t *testing.T) {
	t.Parallel()

	t.Run("ListsTopicsAndSubscriptions", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		topic, sub := f.addTopic()
		resp, body := f.root().get("/notifications")
		require.Equal(t, http.StatusOK, resp.StatusCode)
		require.Contains(t, body, topic)
		require.Contains(t, body, "ops@example.com")
		require.Contains(t, body, "Pending confirmation")
		require.Contains(t, strings.ToLower(body), strings.ToLower(`href="/notifications/log?target=`+url.QueryEscape(sub)+`"`))
	})

	t.Run("ShowsTheDeliveryLog", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		_, sub := f.addTopic()
		resp, body := f.root().get("/notifications/log?target=" + url.QueryEscape(sub))
		require.Equal(t, http.StatusOK, resp.StatusCode)
		require.Contains(t, body, "msg-ok")
		require.Contains(t, body, "msg-dead")
		require.Contains(t, body, `<span class="status ok">Delivered</span>`)
		require.Contains(t, body, `<span class="status bad">Failed</span>`)
		require.Contains(t, body, "SMTP 550 mailbox unavailable")

		_, body = f.root().get("/notifications/log?status=Failed&target=" + url.QueryEscape(sub))
		require.Contains(t, body, "msg-dead")
		require.NotContains(t, body, "msg-ok")
	})

	t.Run("AsksForATarget", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		resp, body := f.root().get("/notifications/log")
		require.Equal(t, http.StatusOK, resp.StatusCode)
		require.Contains(t, body, `name="target"`)
	})

	t.Run("ErrAccessDenied", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		_, sub := f.addTopic()
		kid, sec := f.addUser("viewer", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sns:ListTopics","Resource":"*"}]}`)
		b := f.signIn(kid, sec)
		resp, body := b.get("/notifications/log?target=" + url.QueryEscape(sub))
		require.Equal(t, http.StatusForbidden, resp.StatusCode)
		require.Contains(t, body, "sluice:ListDeliveries")
	})
}
