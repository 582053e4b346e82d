package metrics

import (
	"context"
	"log/slog"
	"strconv"
	"sync"

	"sluice"
)

// Source is what Consume reads to label the events it counts: the declaration names an
// action's provider, the action run its duration.
type Source interface {
	GetPipeline(ctx context.Context, name string, version int) (*sluice.Pipeline, error)
	GetActionRun(ctx context.Context, pipeline, id string) (*sluice.ActionRun, error)
}

// The statuses that the outbox's EventBridge states stand for.
var (
	executionStatus = map[string]sluice.ExecutionStatus{
		"STARTED": sluice.ExecutionInProgress, "RESUMED": sluice.ExecutionInProgress,
		"SUCCEEDED": sluice.ExecutionSucceeded, "FAILED": sluice.ExecutionFailed,
		"CANCELED": sluice.ExecutionCancelled, "SUPERSEDED": sluice.ExecutionSuperseded,
		"STOPPING": sluice.ExecutionStopping, "STOPPED": sluice.ExecutionStopped,
	}
	actionStatus = map[string]sluice.ActionStatus{
		"STARTED": sluice.ActionInProgress, "SUCCEEDED": sluice.ActionSucceeded,
		"FAILED": sluice.ActionFailed, "ABANDONED": sluice.ActionAbandoned,
	}
)

// Consume returns an outbox handler that counts the status changes its events report. It
// never fails a batch: the consumer would hand the whole batch back, and the records before
// the failing one would be counted again. An event whose pipeline or action run cannot be
// read is counted all the same, under the provider "unknown" or without its duration, and
// logged. Delivery is at least once, so a batch read again after a crash may be counted
// twice: counters are a rate, not a ledger.
func (m *Metrics) Consume(src Source, log *slog.Logger) func(context.Context, []*sluice.OutboxRecord) error {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	p := &providers{src: src, byVersion: map[string]map[string]string{}}
	return func(ctx context.Context, recs []*sluice.OutboxRecord) error {
		for _, r := range recs {
			if err := m.count(ctx, src, p, &r.Event); err != nil {
				log.Warn("metrics: an event counted without its details", "outbox_id", r.ID,
					"pipeline", r.Event.PipelineName, "action_run", r.Event.ActionRunID, "err", err)
			}
		}
		return nil
	}
}

// count counts ev once whatever it reads; an error says what it could not read.
func (m *Metrics) count(ctx context.Context, src Source, p *providers, ev *sluice.Event) error {
	switch ev.DetailType {
	case sluice.DetailExecution:
		if st, ok := executionStatus[ev.State]; ok {
			m.executions.WithLabelValues(string(st)).Inc()
		}
	case sluice.DetailAction:
		st, ok := actionStatus[ev.State]
		if !ok {
			return nil
		}
		provider, err := p.of(ctx, ev)
		if err != nil {
			provider = "unknown"
		}
		m.actions.WithLabelValues(string(st), provider).Inc()
		if err != nil || st == sluice.ActionInProgress {
			return err
		}
		run, err := src.GetActionRun(ctx, ev.PipelineName, ev.ActionRunID)
		switch {
		case sluice.IsCode(err, sluice.ENotFound): // deleted with its pipeline since
		case err != nil:
			return err
		case !run.StartTime.IsZero():
			m.duration.WithLabelValues(provider).Observe(run.LastUpdateTime.Sub(run.StartTime).Seconds())
		}
	}
	return nil
}

// providers names the provider of each action of the pipeline versions events mention;
// versions never change, so what was read once stays true.
type providers struct {
	src       Source
	mu        sync.Mutex
	byVersion map[string]map[string]string // pipeline + "/" + version -> stage/action -> provider
}

func (p *providers) of(ctx context.Context, ev *sluice.Event) (string, error) {
	key := ev.PipelineName + "/" + strconv.Itoa(ev.Version)
	p.mu.Lock()
	defer p.mu.Unlock()
	byAction, ok := p.byVersion[key]
	if !ok {
		pl, err := p.src.GetPipeline(ctx, ev.PipelineName, ev.Version)
		if sluice.IsCode(err, sluice.ENotFound) {
			return "unknown", nil // deleted since; a pipeline of that name may come again
		}
		if err != nil {
			return "", err
		}
		byAction = map[string]string{}
		for _, s := range pl.Declaration.Stages {
			for _, a := range s.Actions {
				byAction[s.Name+"/"+a.Name] = a.ActionTypeID.Provider
			}
		}
		if len(p.byVersion) >= 1000 { // bounded: start again rather than grow forever
			clear(p.byVersion)
		}
		p.byVersion[key] = byAction
	}
	if provider, ok := byAction[ev.Stage+"/"+ev.Action]; ok {
		return provider, nil
	}
	return "unknown", nil
}
