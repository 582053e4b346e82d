package api

import (
	"context"
	"fmt"
	"time"

	"sluice"
	"sluice/service"
	"sluice/validate"
)

// workerTarget prefixes the operations of Sluice's own worker protocol: what `sluice worker`
// needs beyond the model's job-worker operations, which it uses for everything else
// (AcknowledgeJob, GetJobDetails, PutJobSuccessResult, PutJobFailureResult).
const workerTarget = "SluiceWorker_20261129."

var labelRule = rule{min: 1, max: 50, pattern: validate.NewPattern(`[a-zA-Z0-9_-]+`)}

// pollForWorkerJobs is PollForJobs for `sluice worker`: jobs of several built-in action
// types at once, filtered by worker label (a job whose configuration sets WorkerLabel goes
// only to workers started with that label), long-polling up to waitSeconds. Jobs come back
// Dispatched with the model's job data plus the whole job (member "sluice").
func (s *Server) pollForWorkerJobs(ctx context.Context, c *call) (any, error) {
	var in struct {
		ActionTypeIDs []sluice.ActionTypeID `json:"actionTypeIds"`
		Labels        []string              `json:"labels"`
		MaxBatchSize  *int                  `json:"maxBatchSize"`
		WaitSeconds   *int                  `json:"waitSeconds"`
		Worker        string                `json:"worker"`
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	var m members
	if len(in.ActionTypeIDs) == 0 {
		m.null("actionTypeIds")
	}
	m.atMost("actionTypeIds", len(in.ActionTypeIDs), 100)
	for i, id := range in.ActionTypeIDs {
		path := fmt.Sprintf("actionTypeIds.%d.member.", i+1)
		m.need(path+"category", id.Category, categoryRule)
		m.need(path+"owner", id.Owner, ownerRule)
		m.need(path+"provider", id.Provider, providerRule)
		m.need(path+"version", id.Version, versionRule)
	}
	m.atMost("labels", len(in.Labels), 20)
	for i, l := range in.Labels {
		m.need(fmt.Sprintf("labels.%d.member", i+1), l, labelRule)
	}
	m.atLeast("maxBatchSize", in.MaxBatchSize, 1) // the model sets no maximum: larger asks get 100
	m.between("waitSeconds", in.WaitSeconds, 0, int(maxPollWait/time.Second))
	m.need("worker", in.Worker, rule{min: 1, max: 200, quiet: true})
	if err := m.err(); err != nil {
		return nil, err
	}
	wait := time.Duration(pageSize(in.WaitSeconds)) * time.Second
	p := service.WorkerPollParams{Worker: in.Worker, Types: in.ActionTypeIDs, Labels: in.Labels,
		Limit: pageSize(in.MaxBatchSize), Wait: wait}
	jobs, err := s.waitForJobs(ctx, wait, func(ctx context.Context) ([]*sluice.Job, error) {
		return s.Service.PollForWorkerJobs(ctx, c.caller, p)
	})
	if err != nil {
		return nil, err
	}
	out := []jobOut{}
	for _, j := range jobs {
		out = append(out, s.workerWire(j))
	}
	return map[string]any{"jobs": out}, nil
}
