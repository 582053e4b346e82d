package metrics

import "github.com/prometheus/client_golang/prometheus"

// Retention counts what --retain pruned: executions (with their stage, action and rule
// runs, jobs and logs) and artifacts.
type Retention struct {
	executions prometheus.Counter
	artifacts  prometheus.Counter
}

// NewRetention registers the retention metrics on reg.
func NewRetention(reg prometheus.Registerer) *Retention {
	m := &Retention{
		executions: prometheus.NewCounter(prometheus.CounterOpts{Name: "sluice_pruned_executions_total",
			Help: "Pipeline executions deleted by retention (--retain), with their action runs and logs."}),
		artifacts: prometheus.NewCounter(prometheus.CounterOpts{Name: "sluice_pruned_artifacts_total",
			Help: "Artifacts deleted by retention (--retain) with the executions that produced them."}),
	}
	reg.MustRegister(m.executions, m.artifacts)
	return m
}

// Pruned adds one batch (the retention loop's Pruned hook).
func (m *Retention) Pruned(executions, artifacts int) {
	m.executions.Add(float64(executions))
	m.artifacts.Add(float64(artifacts))
}
