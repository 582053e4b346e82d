// Package metrics exports Prometheus metrics about executions, actions and the job queue,
// fed by the outbox: Consume is an outbox consumer's handler.
package metrics

import (
	"context"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics counts state changes.
type Metrics struct {
	executions *prometheus.CounterVec
	actions    *prometheus.CounterVec
	duration   *prometheus.HistogramVec
}

// New registers the metrics on reg; depth reports the number of queued jobs.
func New(reg prometheus.Registerer, depth func(context.Context) (int, error)) *Metrics {
	m := &Metrics{
		executions: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "sluice_pipeline_executions_total",
			Help: "Pipeline executions that reached a status, by status."}, []string{"status"}),
		actions: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "sluice_action_executions_total",
			Help: "Action executions that reached a status, by status and provider."}, []string{"status", "provider"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "sluice_action_duration_seconds",
			Help: "Duration of finished action executions.", Buckets: prometheus.ExponentialBuckets(0.005, 4, 10)}, []string{"provider"}),
	}
	queue := prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "sluice_job_queue_depth", Help: "Jobs waiting for a worker."},
		func() float64 {
			n, err := depth(context.Background())
			if err != nil {
				return -1
			}
			return float64(n)
		})
	reg.MustRegister(m.executions, m.actions, m.duration, queue)
	return m
}
