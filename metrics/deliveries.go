package metrics

import (
	"github.com/prometheus/client_golang/prometheus"

	"sluice"
)

// Deliveries counts the attempts of outbound deliveries (SNS subscriptions, chat channels,
// rules' HTTP targets): how many reached their destination, will be tried again, or died.
type Deliveries struct {
	attempts *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

// NewDeliveries registers the delivery metrics on reg.
func NewDeliveries(reg prometheus.Registerer) *Deliveries {
	m := &Deliveries{
		attempts: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "sluice_delivery_attempts_total",
			Help: "Attempts to deliver a notification or event, by protocol and outcome (delivered, retrying, failed)."},
			[]string{"protocol", "outcome"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "sluice_delivery_attempt_duration_seconds",
			Help: "Duration of delivery attempts, by protocol.", Buckets: prometheus.ExponentialBuckets(0.001, 4, 9)},
			[]string{"protocol"}),
	}
	reg.MustRegister(m.attempts, m.duration)
	return m
}

// Attempted records one attempt of d, whose status is the attempt's outcome (the
// Deliverer's Attempted hook).
func (m *Deliveries) Attempted(d *sluice.Delivery, a sluice.DeliveryAttempt) {
	outcome := "retrying"
	switch d.Status {
	case sluice.DeliveryDelivered:
		outcome = "delivered"
	case sluice.DeliveryFailed:
		outcome = "failed"
	}
	m.attempts.WithLabelValues(d.Protocol, outcome).Inc()
	m.duration.WithLabelValues(d.Protocol).Observe(a.Duration.Seconds())
}
