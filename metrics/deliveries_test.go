package metrics

import (
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/stretchr/testify/require"

	"sluice"
)

func TestDeliveries(t *testing.T) {
	t.Parallel()
	reg := prometheus.NewRegistry()
	m := NewDeliveries(reg)
	for _, st := range []sluice.DeliveryStatus{sluice.DeliveryPending, sluice.DeliveryPending, sluice.DeliveryDelivered, sluice.DeliveryFailed} {
		m.Attempted(&sluice.Delivery{Protocol: "https", Status: st}, sluice.DeliveryAttempt{Duration: 3 * time.Millisecond})
	}
	m.Attempted(&sluice.Delivery{Protocol: sluice.ProtocolSlack, Status: sluice.DeliveryDelivered}, sluice.DeliveryAttempt{})
	require.NoError(t, testutil.GatherAndCompare(reg, strings.NewReader(`
# HELP sluice_delivery_attempts_total Attempts to deliver a notification or event, by protocol and outcome (delivered, retrying, failed).
# TYPE sluice_delivery_attempts_total counter
sluice_delivery_attempts_total{outcome="delivered",protocol="https"} 1
sluice_delivery_attempts_total{outcome="delivered",protocol="slack"} 1
sluice_delivery_attempts_total{outcome="failed",protocol="https"} 1
sluice_delivery_attempts_total{outcome="retrying",protocol="https"} 2
`), "sluice_delivery_attempts_total"))
}
