package api

import (
	"context"
	"strconv"
	"time"

	"sluice"
	"sluice/engine"
	"sluice/validate"
)

var (
	jobIDRule       = rule{pattern: validate.NewPattern(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)}
	nonceRule       = rule{min: 1, max: 50}
	queryKeyRule    = rule{min: 1, max: 50, pattern: validate.NewPattern(`[a-zA-Z0-9_-]+`)}
	queryValueRule  = rule{min: 1, max: 50, pattern: validate.NewPattern(`[a-zA-Z0-9_-]+`)}
	failureTypeRule = rule{enum: []string{sluice.FailureJobFailed, sluice.FailureConfigurationError, sluice.FailurePermissionError,
		sluice.FailureRevisionOutOfSync, sluice.FailureRevisionUnavailable, sluice.FailureSystemUnavailable}}
	failureMsgRule    = rule{min: 1, max: 5000, quiet: true}
	externalIDRule    = rule{min: 1, max: 1500, quiet: true}
	continuationRule  = rule{min: 1, max: 2048, quiet: true}
	revisionRule      = rule{min: 1, max: 1500, quiet: true}
	changeIDRule      = rule{min: 1, max: 100, quiet: true}
	revisionSumRule   = rule{min: 1, max: 2048, quiet: true}
	execSummaryRule   = rule{min: 1, max: 2048, quiet: true}
	customOwnerRule   = rule{pattern: validate.NewPattern(`AWS|ThirdParty|Custom`)}
	maxOutputVarBytes = 122880
)

// PollWaitHeader asks PollForJobs to wait up to this many seconds (at most 20) for a job
// when none is queued: a Sluice extension so job workers start work at once without
// polling in a tight loop. Without it PollForJobs answers at once, as CodePipeline does.
const PollWaitHeader = "X-Sluice-Poll-Wait-Seconds"

// maxBatch is the most jobs one poll hands out.
const maxBatch = 100

// maxPollWait bounds a long poll, below the idle timeouts of common proxies.
const maxPollWait = 20 * time.Second

func (s *Server) servesJobs() error {
	if s.Queue == nil {
		return sluice.Errorf(sluice.EUnsupported, "", "This server does not serve jobs.")
	}
	return nil
}

func pollWait(c *call) (time.Duration, error) {
	v := c.header.Get(PollWaitHeader)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, sluice.Errorf(sluice.EInvalid, "", "%s must be a whole number of seconds, not %q.", PollWaitHeader, v)
	}
	return min(time.Duration(n)*time.Second, maxPollWait), nil
}

func (s *Server) pollForJobs(ctx context.Context, c *call) (any, error) {
	var in struct {
		ActionTypeID *sluice.ActionTypeID `json:"actionTypeId"`
		MaxBatchSize *int                 `json:"maxBatchSize"`
		QueryParam   map[string]string    `json:"queryParam"`
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	var m members
	if in.ActionTypeID == nil {
		m.null("actionTypeId")
	} else {
		m.need("actionTypeId.category", in.ActionTypeID.Category, categoryRule)
		m.need("actionTypeId.owner", in.ActionTypeID.Owner, customOwnerRule)
		m.need("actionTypeId.provider", in.ActionTypeID.Provider, providerRule)
		m.need("actionTypeId.version", in.ActionTypeID.Version, versionRule)
	}
	m.atLeast("maxBatchSize", in.MaxBatchSize, 1) // the model sets no maximum: larger asks get 100
	m.atMost("queryParam", len(in.QueryParam), 1)
	for k, v := range in.QueryParam {
		m.present("queryParam.key", k, queryKeyRule)
		m.present("queryParam.value", v, queryValueRule)
	}
	if err := m.err(); err != nil {
		return nil, err
	}
	wait, err := pollWait(c)
	if err != nil {
		return nil, err
	}
	if err := s.servesJobs(); err != nil {
		return nil, err
	}
	id := *in.ActionTypeID
	if id.Owner != sluice.OwnerCustom {
		return nil, sluice.Errorf(sluice.EInvalid, "", "ActionType with owner '%s' is not supported", id.Owner)
	}
	t, err := s.Engine.CustomActionType(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := checkQuery(t, in.QueryParam); err != nil {
		return nil, err
	}
	limit := 1
	if in.MaxBatchSize != nil {
		limit = min(*in.MaxBatchSize, maxBatch)
	}
	jobs, err := s.waitForJobs(ctx, sluice.ClaimParams{Worker: "custom:" + c.principal, Types: []sluice.ActionTypeID{id},
		Limit: limit, Match: in.QueryParam}, wait)
	if err != nil {
		return nil, err
	}
	out := []jobOut{}
	for _, j := range jobs {
		out = append(out, s.jobWire(j, true))
	}
	return map[string]any{"jobs": out}, nil
}

// waitForJobs claims jobs, long-polling up to wait. A graceful shutdown (StopWaiting)
// ends the wait with no jobs, so that it does not hold the shutdown up: the worker polls
// again, on another server or after the restart.
func (s *Server) waitForJobs(ctx context.Context, p sluice.ClaimParams, wait time.Duration) ([]*sluice.Job, error) {
	if wait <= 0 {
		return s.Queue.Claim(ctx, p)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stop := s.stopFollowing()
	go func() {
		select {
		case <-stop:
			cancel()
		case <-ctx.Done():
		}
	}()
	jobs, err := s.Queue.Wait(ctx, p, wait)
	select {
	case <-stop:
		if err != nil {
			return nil, nil
		}
	default:
	}
	return jobs, err
}

// checkQuery enforces §9.2: with a queryable property only its value may be queried.
func checkQuery(t *sluice.ActionType, q map[string]string) error {
	for k := range q {
		p := t.Property(k)
		if p == nil || !p.Queryable {
			return sluice.Errorf(sluice.EInvalid, "", "queryParam %s is not a queryable configuration property of action type %s.", k, t.ID)
		}
	}
	return nil
}

func (s *Server) acknowledgeJob(ctx context.Context, c *call) (any, error) {
	var in struct {
		JobID string `json:"jobId"`
		Nonce string `json:"nonce"`
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	var m members
	m.need("jobId", in.JobID, jobIDRule)
	m.need("nonce", in.Nonce, nonceRule)
	if err := m.err(); err != nil {
		return nil, err
	}
	if err := s.servesJobs(); err != nil {
		return nil, err
	}
	j, err := s.Store.GetJob(ctx, in.JobID)
	if err != nil {
		return nil, err
	}
	j, err = s.Store.AcknowledgeJob(ctx, in.JobID, in.Nonce, s.leaseAfterAck(j))
	if sluice.IsCode(err, sluice.EInvalidJobState) {
		// The model gives AcknowledgeJob no InvalidJobStateException. A finished job's nonce
		// offers it to nobody, and workers (the Jenkins plugin among them) take
		// InvalidNonceException as "not yours: leave it".
		return nil, sluice.Errorf(sluice.EInvalidNonce, "Nonce", "Job %s is no longer open: its nonce offers it to no worker.", in.JobID)
	}
	if err != nil {
		return nil, err
	}
	return map[string]string{"status": string(j.Status)}, nil
}

// leaseAfterAck is how long an acknowledged job stays with its worker. Custom job workers
// have no heartbeat in the model, so their jobs are theirs until the action's deadline;
// `sluice worker` acknowledges again as its heartbeat, so built-in jobs get a short lease
// that a dead worker lets lapse.
func (s *Server) leaseAfterAck(j *sluice.Job) time.Time {
	now := s.Queue.Clock.Now()
	if j.ActionType.Owner == sluice.OwnerCustom {
		if j.Deadline.IsZero() {
			return now.Add(24 * time.Hour)
		}
		return j.Deadline
	}
	return now.Add(s.Queue.Lease)
}

func (s *Server) getJobDetails(ctx context.Context, c *call) (any, error) {
	var in struct {
		JobID string `json:"jobId"`
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	var m members
	m.need("jobId", in.JobID, jobIDRule)
	if err := m.err(); err != nil {
		return nil, err
	}
	j, err := s.Store.GetJob(ctx, in.JobID)
	if err != nil {
		return nil, err
	}
	return map[string]any{"jobDetails": s.jobWire(j, false)}, nil
}

type currentRevisionIn struct {
	Revision         string `json:"revision"`
	ChangeIdentifier string `json:"changeIdentifier"`
	Created          *epoch `json:"created"`
	RevisionSummary  string `json:"revisionSummary"`
}

type executionDetailsIn struct {
	Summary             string `json:"summary"`
	ExternalExecutionID string `json:"externalExecutionId"`
	PercentComplete     *int   `json:"percentComplete"`
}

func (s *Server) putJobSuccessResult(ctx context.Context, c *call) (any, error) {
	var in struct {
		JobID             string              `json:"jobId"`
		CurrentRevision   *currentRevisionIn  `json:"currentRevision"`
		ContinuationToken string              `json:"continuationToken"`
		ExecutionDetails  *executionDetailsIn `json:"executionDetails"`
		OutputVariables   map[string]string   `json:"outputVariables"`
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	var m members
	m.need("jobId", in.JobID, jobIDRule)
	m.opt("continuationToken", in.ContinuationToken, continuationRule)
	if r := in.CurrentRevision; r != nil {
		m.need("currentRevision.revision", r.Revision, revisionRule)
		m.need("currentRevision.changeIdentifier", r.ChangeIdentifier, changeIDRule)
		m.opt("currentRevision.revisionSummary", r.RevisionSummary, revisionSumRule)
	}
	if d := in.ExecutionDetails; d != nil {
		m.opt("executionDetails.summary", d.Summary, execSummaryRule)
		m.opt("executionDetails.externalExecutionId", d.ExternalExecutionID, externalIDRule)
		m.between("executionDetails.percentComplete", d.PercentComplete, 0, 100)
	}
	for k := range in.OutputVariables {
		m.present("outputVariables.key", k, variableRule)
	}
	if err := m.err(); err != nil {
		return nil, err
	}
	size := 0
	for k, v := range in.OutputVariables {
		size += len(k) + len(v)
	}
	switch {
	case size > maxOutputVarBytes:
		return nil, sluice.Errorf(sluice.ELimit, "OutputVariablesSize", "The output variables take %d characters; at most %d are allowed.", size, maxOutputVarBytes)
	case len(in.OutputVariables) > 0 && in.ContinuationToken != "":
		return nil, sluice.Errorf(sluice.EInvalid, "", "outputVariables are only accepted with the final result, not with a continuationToken.")
	}
	res := sluice.JobResult{JobID: in.JobID, Success: true, ContinuationToken: in.ContinuationToken, OutputVariables: in.OutputVariables}
	if r := in.CurrentRevision; r != nil {
		res.Revision = &sluice.Revision{RevisionID: r.Revision, ChangeIdentifier: r.ChangeIdentifier, Summary: r.RevisionSummary}
		if r.Created != nil {
			res.Revision.Created = time.Time(*r.Created)
		}
	}
	if d := in.ExecutionDetails; d != nil {
		res.Summary, res.ExternalID = d.Summary, d.ExternalExecutionID
		if d.PercentComplete != nil {
			res.PercentComplete = *d.PercentComplete
		}
	}
	return nil, s.report(ctx, res)
}

func (s *Server) putJobFailureResult(ctx context.Context, c *call) (any, error) {
	var in struct {
		JobID          string `json:"jobId"`
		FailureDetails *struct {
			Type                string `json:"type"`
			Message             string `json:"message"`
			ExternalExecutionID string `json:"externalExecutionId"`
		} `json:"failureDetails"`
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	var m members
	m.need("jobId", in.JobID, jobIDRule)
	if d := in.FailureDetails; d == nil {
		m.null("failureDetails")
	} else {
		m.need("failureDetails.type", d.Type, failureTypeRule)
		m.need("failureDetails.message", d.Message, failureMsgRule)
		m.opt("failureDetails.externalExecutionId", d.ExternalExecutionID, externalIDRule)
	}
	if err := m.err(); err != nil {
		return nil, err
	}
	d := in.FailureDetails
	return nil, s.report(ctx, sluice.JobResult{JobID: in.JobID, ErrorType: d.Type, ErrorMessage: d.Message, ExternalID: d.ExternalExecutionID})
}

// report hands a worker's result to the engine, with the console link the action type's
// executionUrlTemplate makes of it.
func (s *Server) report(ctx context.Context, res sluice.JobResult) error {
	if err := s.servesJobs(); err != nil {
		return err
	}
	j, err := s.Store.GetJob(ctx, res.JobID)
	if err != nil {
		return err
	}
	if !j.Status.Open() {
		return sluice.Errorf(sluice.EInvalidJobState, "", "Job %s is %s: its result was already reported or it timed out.", j.ID, j.Status)
	}
	if j.ActionType.Owner == sluice.OwnerCustom && res.ExternalID != "" {
		if t, err := s.Engine.CustomActionType(ctx, j.ActionType); err == nil {
			res.ExternalURL = engine.ExecutionURL(t, j.Data.Configuration, res.ExternalID)
		}
	}
	return s.Engine.ReportJob(ctx, j, res)
}
