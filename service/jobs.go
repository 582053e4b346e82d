package service

import (
	"context"
	"time"

	"sluice"
	"sluice/engine"
)

// maxBatch is the most jobs one poll hands out.
const maxBatch = 100

// maxOutputVarBytes bounds the output variables of one result (keys and values).
const maxOutputVarBytes = 122880

// servesJobs says why jobs cannot be served here, if they cannot.
func (s *Service) servesJobs() error {
	if s.Queue == nil {
		return sluice.Errorf(sluice.EUnsupported, "", "This server does not serve jobs.")
	}
	return nil
}

// JobLease is how long a job stays a worker's without a heartbeat.
func (s *Service) JobLease() time.Duration { return s.Queue.Lease }

// claim claims jobs, long-polling up to wait; ctx's end ends the wait.
func (s *Service) claim(ctx context.Context, p sluice.ClaimParams, wait time.Duration) ([]*sluice.Job, error) {
	p.Limit = min(max(p.Limit, 1), maxBatch)
	if wait <= 0 {
		return s.Queue.Claim(ctx, p)
	}
	return s.Queue.Wait(ctx, p, wait)
}

// CustomPollParams is a custom job worker's PollForJobs.
type CustomPollParams struct {
	Type  sluice.ActionTypeID
	Limit int               // at most 100 jobs are handed out
	Query map[string]string // queryable configuration values the jobs must have
	Wait  time.Duration     // how long to wait for a job when none is queued
}

// PollForJobs hands the caller, a custom job worker, queued jobs of an active custom
// action type (with §9.2's rule: only a queryable property may be queried).
func (s *Service) PollForJobs(ctx context.Context, c sluice.Caller, p CustomPollParams) ([]*sluice.Job, error) {
	if err := s.allow(ctx, c, actPollForJobs, s.actionTypeARN(p.Type)); err != nil {
		return nil, err
	}
	if err := s.servesJobs(); err != nil {
		return nil, err
	}
	if p.Type.Owner != sluice.OwnerCustom {
		return nil, sluice.Errorf(sluice.EInvalid, "", "ActionType with owner '%s' is not supported", p.Type.Owner)
	}
	t, err := s.Engine.CustomActionType(ctx, p.Type)
	if err != nil {
		return nil, err
	}
	for k := range p.Query {
		if prop := t.Property(k); prop == nil || !prop.Queryable {
			return nil, sluice.Errorf(sluice.EInvalid, "", "queryParam %s is not a queryable configuration property of action type %s.", k, t.ID)
		}
	}
	return s.claim(ctx, sluice.ClaimParams{Worker: sluice.CustomWorker(c.Principal).String(), Types: []sluice.ActionTypeID{p.Type},
		Limit: p.Limit, Match: p.Query}, p.Wait)
}

// WorkerPollParams is a `sluice worker`'s poll: jobs of several built-in types at once.
type WorkerPollParams struct {
	Worker string // the worker's name
	Types  []sluice.ActionTypeID
	Labels []string // jobs with one of these WorkerLabels, or none, go to this worker
	Limit  int
	Wait   time.Duration
}

// PollForWorkerJobs hands a remote worker queued jobs, Dispatched.
func (s *Service) PollForWorkerJobs(ctx context.Context, c sluice.Caller, p WorkerPollParams) ([]*sluice.Job, error) {
	if err := s.allow(ctx, c, actPollForWorkerJobs, anyResource); err != nil {
		return nil, err
	}
	if err := s.allowWorkerLabels(ctx, c, p.Labels); err != nil {
		return nil, err
	}
	if err := s.servesJobs(); err != nil {
		return nil, err
	}
	// Seen as the long poll starts and as it ends: a worker waiting for work is connected.
	s.workers.saw(p, s.Now())
	defer func() { s.workers.saw(p, s.Now()) }()
	return s.claim(ctx, sluice.ClaimParams{Worker: sluice.RemoteWorker(p.Worker).String(), Types: p.Types, Limit: p.Limit,
		Labels: append([]string{""}, p.Labels...)}, p.Wait)
}

// AcknowledgeJob moves a dispatched job to InProgress and extends its lease; a worker of a
// job that is no longer open gets EInvalidNonce.
func (s *Service) AcknowledgeJob(ctx context.Context, c sluice.Caller, id, nonce string) (*sluice.Job, error) {
	if err := s.allow(ctx, c, actAcknowledgeJob, anyResource); err != nil {
		return nil, err
	}
	if err := s.servesJobs(); err != nil {
		return nil, err
	}
	j, err := s.Store.GetJob(ctx, id)
	if err != nil {
		return nil, err
	}
	return s.acknowledge(ctx, j, nonce)
}

// acknowledge is AcknowledgeJob and AcknowledgeThirdPartyJob once the job is found.
func (s *Service) acknowledge(ctx context.Context, j *sluice.Job, nonce string) (*sluice.Job, error) {
	id := j.ID
	j, err := s.Store.AcknowledgeJob(ctx, id, nonce, s.leaseAfterAck(j))
	if sluice.IsCode(err, sluice.EInvalidJobState) {
		// Neither acknowledge operation has InvalidJobStateException in the model. A finished
		// job's nonce offers it to nobody, and workers (the Jenkins plugin among them) take
		// InvalidNonceException as "not yours: leave it".
		return nil, sluice.Errorf(sluice.EInvalidNonce, "Nonce", "Job %s is no longer open: its nonce offers it to no worker.", id)
	}
	return j, err
}

// leaseAfterAck is how long an acknowledged job stays with its worker. Custom and partner
// job workers have no heartbeat in the model, so their jobs are theirs until the action's
// deadline;
// `sluice worker` acknowledges again as its heartbeat, so built-in jobs get a short lease
// that a dead worker lets lapse.
func (s *Service) leaseAfterAck(j *sluice.Job) time.Time {
	now := s.Queue.Clock.Now()
	if engine.Registered(j.ActionType) {
		if j.Deadline.IsZero() {
			return now.Add(24 * time.Hour)
		}
		return j.Deadline
	}
	return now.Add(s.Queue.Lease)
}

// GetJob returns a job (ENotFound/Job).
func (s *Service) GetJob(ctx context.Context, c sluice.Caller, id string) (*sluice.Job, error) {
	if err := s.allow(ctx, c, actGetJobDetails, anyResource); err != nil {
		return nil, err
	}
	return s.Store.GetJob(ctx, id)
}

// PutJobResult hands a worker's result to the engine, with the console link the action
// type's executionUrlTemplate makes of it. A success's output variables are bounded and
// come only with the final result.
func (s *Service) PutJobResult(ctx context.Context, c sluice.Caller, res sluice.JobResult) error {
	action := actPutJobFailureResult
	if res.Success {
		action = actPutJobSuccessResult
	}
	if err := s.allow(ctx, c, action, anyResource); err != nil {
		return err
	}
	if res.Success {
		if err := checkOutputVariables(res); err != nil {
			return err
		}
	}
	if err := s.servesJobs(); err != nil {
		return err
	}
	j, err := s.Store.GetJob(ctx, res.JobID)
	if err != nil {
		return err
	}
	return s.report(ctx, j, res)
}

// report is PutJobResult and PutThirdPartyJobResult once the job is found.
func (s *Service) report(ctx context.Context, j *sluice.Job, res sluice.JobResult) error {
	if !j.Status.Open() {
		return sluice.Errorf(sluice.EInvalidJobState, "", "Job %s is %s: its result was already reported or it timed out.", j.ID, j.Status)
	}
	if engine.Registered(j.ActionType) && res.ExternalID != "" {
		if t, ok := s.Lookup(j.ActionType); ok {
			res.ExternalURL = engine.ExecutionURL(t, j.Data.Configuration, res.ExternalID)
		}
	}
	return s.Engine.ReportJob(ctx, j, res)
}

func checkOutputVariables(res sluice.JobResult) error {
	size := 0
	for k, v := range res.OutputVariables {
		size += len(k) + len(v)
	}
	switch {
	case size > maxOutputVarBytes:
		return sluice.Errorf(sluice.ELimit, "OutputVariablesSize", "The output variables take %d characters; at most %d are allowed.", size, maxOutputVarBytes)
	case len(res.OutputVariables) > 0 && res.ContinuationToken != "":
		return sluice.Errorf(sluice.EInvalid, "", "outputVariables are only accepted with the final result, not with a continuationToken.")
	}
	return nil
}
