package metrics_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/metrics"
)

// source is a store with one pipeline version and its action runs.
type source struct{ runs map[string]*sluice.ActionRun }

func (source) GetPipeline(_ context.Context, name string, version int) (*sluice.Pipeline, error) {
	if name != "app" || version != 1 {
		return nil, sluice.Errorf(sluice.ENotFound, "Pipeline", "no %s v%d", name, version)
	}
	return &sluice.Pipeline{Declaration: sluice.PipelineDeclaration{Name: "app", Stages: []sluice.StageDeclaration{
		{Name: "Build", Actions: []sluice.ActionDeclaration{{Name: "Compile",
			ActionTypeID: sluice.ActionTypeID{Category: sluice.CategoryBuild, Owner: sluice.OwnerAWS, Provider: "Commands", Version: "1"}}}},
	}}}, nil
}

func (s source) GetActionRun(_ context.Context, _, id string) (*sluice.ActionRun, error) {
	if r, ok := s.runs[id]; ok {
		return r, nil
	}
	return nil, sluice.Errorf(sluice.ENotFound, "ActionExecution", "no run %s", id)
}

func scrape(t *testing.T, reg *prometheus.Registry) string {
	t.Helper()
	w := httptest.NewRecorder()
	promhttp.HandlerFor(reg, promhttp.HandlerOpts{}).ServeHTTP(w, httptest.NewRequest("GET", "/metrics", nil))
	return w.Body.String()
}

func TestConsumeCountsTheOutboxEvents(t *testing.T) {
	t.Parallel()
	reg := prometheus.NewRegistry()
	m := metrics.New(reg, func(context.Context) (int, error) { return 3, nil })
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	src := source{runs: map[string]*sluice.ActionRun{"run-1": {ID: "run-1", StartTime: start, LastUpdateTime: start.Add(2 * time.Second)}}}
	ev := func(detail, state, pipeline, action, run string) *sluice.OutboxRecord {
		return &sluice.OutboxRecord{Event: sluice.Event{DetailType: detail, State: state, PipelineName: pipeline,
			Version: 1, Stage: "Build", Action: action, ActionRunID: run}}
	}
	recs := []*sluice.OutboxRecord{
		ev(sluice.DetailExecution, "STARTED", "app", "", ""),
		ev(sluice.DetailStage, "STARTED", "app", "", ""),
		ev(sluice.DetailAction, "STARTED", "app", "Compile", "run-1"),
		ev(sluice.DetailAction, "SUCCEEDED", "app", "Compile", "run-1"),
		ev(sluice.DetailAction, "FAILED", "app", "Missing", "run-2"),
		ev(sluice.DetailAction, "FAILED", "gone", "Compile", "run-3"),
		ev(sluice.DetailExecution, "SUCCEEDED", "app", "", ""),
	}
	require.NoError(t, m.Consume(src, slog.New(slog.DiscardHandler))(t.Context(), recs))

	out := scrape(t, reg)
	for _, want := range []string{
		`sluice_pipeline_executions_total{status="InProgress"} 1`,
		`sluice_pipeline_executions_total{status="Succeeded"} 1`,
		`sluice_action_executions_total{provider="Commands",status="InProgress"} 1`,
		`sluice_action_executions_total{provider="Commands",status="Succeeded"} 1`,
		`sluice_action_executions_total{provider="unknown",status="Failed"} 2`,
		`sluice_action_duration_seconds_sum{provider="Commands"} 2`,
		`sluice_action_duration_seconds_count{provider="Commands"} 1`,
		"sluice_job_queue_depth 3",
	} {
		require.Contains(t, out, want)
	}
}

// flaky is a source whose first GetPipeline fails with an error other than not-found.
type flaky struct {
	source
	failed bool
}

func (f *flaky) GetPipeline(ctx context.Context, name string, version int) (*sluice.Pipeline, error) {
	if !f.failed {
		f.failed = true
		return nil, errors.New("database is locked")
	}
	return f.source.GetPipeline(ctx, name, version)
}

func TestConsumeCountsEachRecordOnceWhenALookupFails(t *testing.T) {
	t.Parallel()
	reg := prometheus.NewRegistry()
	m := metrics.New(reg, func(context.Context) (int, error) { return 0, nil })
	handle := m.Consume(&flaky{}, slog.New(slog.DiscardHandler))
	recs := []*sluice.OutboxRecord{
		{Event: sluice.Event{DetailType: sluice.DetailExecution, State: "STARTED", PipelineName: "app", Version: 1}},
		{Event: sluice.Event{DetailType: sluice.DetailAction, State: "STARTED", PipelineName: "app", Version: 1,
			Stage: "Build", Action: "Compile", ActionRunID: "run-1"}},
	}
	// As the outbox consumer does: a failed batch is handed back whole.
	for range 2 {
		if handle(t.Context(), recs) == nil {
			break
		}
	}

	out := scrape(t, reg)
	require.Contains(t, out, `sluice_pipeline_executions_total{status="InProgress"} 1`)
	require.Contains(t, out, `sluice_action_executions_total{provider="unknown",status="InProgress"} 1`)
	require.NotContains(t, out, `provider="Commands"`)
}
