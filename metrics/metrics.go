// Package metrics exports Prometheus metrics about executions, actions and the job queue,
// fed from the plans the engine commits.
package metrics

import (
	"context"

	"github.com/prometheus/client_golang/prometheus"

	"sluice"
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

// Observe counts the status changes of a committed plan.
func (m *Metrics) Observe(p *sluice.Plan) {
	for _, c := range p.Executions {
		if c.Insert || c.From != c.Row.Status {
			m.executions.WithLabelValues(string(c.Row.Status)).Inc()
		}
	}
	for _, c := range p.ActionRuns {
		if !c.Insert && c.From == c.Row.Status {
			continue
		}
		provider := providerOf(p, c.Row)
		m.actions.WithLabelValues(string(c.Row.Status), provider).Inc()
		if c.Row.Status != sluice.ActionInProgress && !c.Row.StartTime.IsZero() {
			m.duration.WithLabelValues(provider).Observe(c.Row.LastUpdateTime.Sub(c.Row.StartTime).Seconds())
		}
	}
}

// providerOf names an action run's provider from the job the plan carries, when it does.
func providerOf(p *sluice.Plan, run *sluice.ActionRun) string {
	for _, j := range p.Jobs {
		if j.Row.ActionRunID == run.ID {
			return j.Row.ActionType.Provider
		}
	}
	if run.Token != "" {
		return "Manual"
	}
	return "unknown"
}
