package api

import (
	"context"
	"strconv"
	"time"

	"sluice"
	"sluice/service"
	"sluice/validate"
)

var (
	jobIDRule = modelRule("JobId")
	nonceRule = modelRule("Nonce")
	// queryKeyRule holds query keys to the queryable values' pattern, where the model's
	// ActionConfigurationKey has none: a key is matched against configuration keys that do.
	queryKeyRule     = rule{min: 1, max: 50, pattern: validate.NewPattern(`[a-zA-Z0-9_-]+`)}
	queryValueRule   = modelRule("ActionConfigurationQueryableValue")
	failureTypeRule  = modelRule("FailureType")
	failureMsgRule   = modelRule("Message").quietly()
	externalIDRule   = modelRule("ExecutionId").quietly()
	continuationRule = modelRule("ContinuationToken").quietly()
	revisionRule     = modelRule("Revision").quietly()
	changeIDRule     = modelRule("RevisionChangeIdentifier").quietly()
	revisionSumRule  = modelRule("RevisionSummary").quietly()
	execSummaryRule  = modelRule("ExecutionSummary").quietly()
	// customOwnerRule admits Custom beside the model's ActionTypeOwner (AWS|ThirdParty):
	// custom job workers poll for their own types.
	customOwnerRule = rule{pattern: validate.NewPattern(`AWS|ThirdParty|Custom`)}
)

// PollWaitHeader asks PollForJobs to wait up to this many seconds (at most 20) for a job
// when none is queued: a Sluice extension so job workers start work at once without
// polling in a tight loop. Without it PollForJobs answers at once, as CodePipeline does.
const PollWaitHeader = "X-Sluice-Poll-Wait-Seconds"

// maxPollWait bounds a long poll, below the idle timeouts of common proxies.
const maxPollWait = 20 * time.Second

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
	p := service.CustomPollParams{Type: *in.ActionTypeID, Limit: pageSize(in.MaxBatchSize), Query: in.QueryParam, Wait: wait}
	jobs, err := s.waitForJobs(ctx, wait, func(ctx context.Context) ([]*sluice.Job, error) {
		return s.Service.PollForJobs(ctx, c.caller, p)
	})
	if err != nil {
		return nil, err
	}
	out := []jobOut{}
	for _, j := range jobs {
		out = append(out, s.jobWire(j, true))
	}
	return map[string]any{"jobs": out}, nil
}

// waitForJobs runs poll, which claims jobs long-polling up to wait. A graceful shutdown
// (StopWaiting) ends the wait with no jobs, so that it does not hold the shutdown up: the
// worker polls again, on another server or after the restart.
func (s *Server) waitForJobs(ctx context.Context, wait time.Duration, poll func(context.Context) ([]*sluice.Job, error)) ([]*sluice.Job, error) {
	if wait <= 0 {
		return poll(ctx)
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
	jobs, err := poll(ctx)
	select {
	case <-stop:
		if err != nil {
			return nil, nil
		}
	default:
	}
	return jobs, err
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
	j, err := s.Service.AcknowledgeJob(ctx, c.caller, in.JobID, in.Nonce)
	if err != nil {
		return nil, err
	}
	return map[string]string{"status": string(j.Status)}, nil
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
	j, err := s.Service.GetJob(ctx, c.caller, in.JobID)
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

// successResult is a job's success result from the members a job worker's and a partner's
// reports share.
func successResult(jobID, continuation string, r *currentRevisionIn, d *executionDetailsIn) sluice.JobResult {
	res := sluice.JobResult{JobID: jobID, Success: true, ContinuationToken: continuation}
	if r != nil {
		res.Revision = &sluice.Revision{RevisionID: r.Revision, ChangeIdentifier: r.ChangeIdentifier, Summary: r.RevisionSummary}
		if r.Created != nil {
			res.Revision.Created = time.Time(*r.Created)
		}
	}
	if d != nil {
		res.Summary, res.ExternalID = d.Summary, d.ExternalExecutionID
		if d.PercentComplete != nil {
			res.PercentComplete = *d.PercentComplete
		}
	}
	return res
}

// checkSuccess checks the members a job's success result shares, whoever reports it (a
// job worker or a partner).
func (m *members) checkSuccess(continuation string, r *currentRevisionIn, d *executionDetailsIn) {
	m.opt("continuationToken", continuation, continuationRule)
	if r != nil {
		m.need("currentRevision.revision", r.Revision, revisionRule)
		m.need("currentRevision.changeIdentifier", r.ChangeIdentifier, changeIDRule)
		m.opt("currentRevision.revisionSummary", r.RevisionSummary, revisionSumRule)
	}
	if d != nil {
		m.opt("executionDetails.summary", d.Summary, execSummaryRule)
		m.opt("executionDetails.externalExecutionId", d.ExternalExecutionID, externalIDRule)
		m.between("executionDetails.percentComplete", d.PercentComplete, 0, 100)
	}
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
	m.checkSuccess(in.ContinuationToken, in.CurrentRevision, in.ExecutionDetails)
	for k := range in.OutputVariables {
		m.present("outputVariables.key", k, variableRule)
	}
	if err := m.err(); err != nil {
		return nil, err
	}
	res := successResult(in.JobID, in.ContinuationToken, in.CurrentRevision, in.ExecutionDetails)
	res.OutputVariables = in.OutputVariables
	return nil, s.Service.PutJobResult(ctx, c.caller, res)
}

// failureDetailsIn is the model's FailureDetails, required where it is read.
type failureDetailsIn struct {
	Type                string `json:"type"`
	Message             string `json:"message"`
	ExternalExecutionID string `json:"externalExecutionId"`
}

func (d *failureDetailsIn) check(m *members) {
	if d == nil {
		m.null("failureDetails")
		return
	}
	m.need("failureDetails.type", d.Type, failureTypeRule)
	m.need("failureDetails.message", d.Message, failureMsgRule)
	m.opt("failureDetails.externalExecutionId", d.ExternalExecutionID, externalIDRule)
}

func (s *Server) putJobFailureResult(ctx context.Context, c *call) (any, error) {
	var in struct {
		JobID          string            `json:"jobId"`
		FailureDetails *failureDetailsIn `json:"failureDetails"`
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	var m members
	m.need("jobId", in.JobID, jobIDRule)
	in.FailureDetails.check(&m)
	if err := m.err(); err != nil {
		return nil, err
	}
	d := in.FailureDetails
	return nil, s.Service.PutJobResult(ctx, c.caller, sluice.JobResult{JobID: in.JobID, ErrorType: d.Type, ErrorMessage: d.Message, ExternalID: d.ExternalExecutionID})
}
