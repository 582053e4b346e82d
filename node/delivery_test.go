package node_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/config"
	"sluice/node/nodetest"
)

// hookReceiver is an http endpoint that hands each body to its channel.
func hookReceiver(t *testing.T) (*httptest.Server, <-chan []byte) {
	t.Helper()
	got := make(chan []byte, 8)
	srv := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- b
	}))
	t.Cleanup(srv.Close)
	return srv, got
}

// waitDelivery waits until target's newest delivery is no longer Pending, and returns it.
func waitDelivery(t *testing.T, b *nodetest.Bundle, target string) *sluice.DeliveryRecord {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		log, _, err := b.Node.DB.ListDeliveries(t.Context(), sluice.DeliveryFilter{Target: target})
		require.NoError(t, err)
		if len(log) > 0 && log[0].Delivery.Status != sluice.DeliveryPending {
			return log[0]
		}
		require.True(t, time.Now().Before(deadline), "delivery to %s still pending", target)
		time.Sleep(20 * time.Millisecond)
	}
}

const testTopic = "arn:aws:sns:us-east-1:000000000000:alerts"

func snsDelivery(endpoint string) *sluice.Delivery {
	return &sluice.Delivery{ID: "11111111-2222-4333-8444-555555555555", Target: testTopic + ":aaaaaaaa-0000-4000-8000-000000000001",
		TopicARN: testTopic, Protocol: "http", Endpoint: endpoint, Type: "Notification", Message: "hello", SignatureVersion: "2"}
}

func TestDeliveriesSent(t *testing.T) {
	t.Parallel()
	b := nodetest.SetupWith(t, func(c *config.Server) { c.AllowLocalDestinations = true })
	srv, got := hookReceiver(t)
	d := snsDelivery(srv.URL)
	require.NoError(t, b.Node.DB.EnqueueDeliveries(t.Context(), d))
	var m map[string]string
	require.NoError(t, json.Unmarshal(<-got, &m))
	require.Equal(t, "hello", m["Message"])
	require.True(t, strings.HasPrefix(m["SigningCertURL"], b.URL+"/SimpleNotificationService-"), m["SigningCertURL"])
	require.Equal(t, b.URL+"/?Action=Unsubscribe&SubscriptionArn=arn%3Aaws%3Asns%3Aus-east-1%3A000000000000%3Aalerts%3Aaaaaaaaa-0000-4000-8000-000000000001", m["UnsubscribeURL"])

	resp, err := http.Get(m["SigningCertURL"])
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	pemBytes, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Contains(t, string(pemBytes), "-----BEGIN CERTIFICATE-----")

	rec := waitDelivery(t, b, d.Target)
	require.Equal(t, sluice.DeliveryDelivered, rec.Delivery.Status)
	require.Equal(t, 200, rec.Attempts[0].StatusCode)
}

func TestDeliveriesGuarded(t *testing.T) {
	t.Parallel()
	b := nodetest.Setup(t) // local destinations refused
	srv, got := hookReceiver(t)
	d := snsDelivery(srv.URL)
	require.NoError(t, b.Node.DB.EnqueueDeliveries(t.Context(), d))
	rec := waitDelivery(t, b, d.Target)
	require.Equal(t, sluice.DeliveryFailed, rec.Delivery.Status)
	require.Contains(t, rec.Delivery.LastError, "local destinations are not allowed")
	require.Empty(t, got)
}
