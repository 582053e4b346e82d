package api

import (
	"context"
	"time"

	"sluice"
	"sluice/jobwire"
	"sluice/service"
)

// The third-party (partner) job protocol (SEMANTICS §9.3): the Custom job protocol's
// machinery, with the clientToken of the type's client checked on every call about a job.
var (
	thirdPartyJobIDRule = modelRule("ThirdPartyJobId")
	partnerTokenRule    = modelRule("ClientToken").quietly()
	partnerOwnerRule    = modelRule("ActionOwner")
)

// thirdPartyJobOut is the model's ThirdPartyJobDetails: no accountId, and a pipeline
// context without pipelineArn and pipelineExecutionId, which partners are not told.
type thirdPartyJobOut struct {
	ID    string       `json:"id"`
	Data  jobwire.Data `json:"data"`
	Nonce string       `json:"nonce,omitempty"`
}

func (s *Server) thirdPartyJobWire(j *sluice.Job) thirdPartyJobOut {
	w := s.JobWire().Job(j, true)
	if c := w.Data.PipelineContext; c != nil {
		c.PipelineArn, c.PipelineExecutionID = "", ""
	}
	return thirdPartyJobOut{ID: w.ID, Data: w.Data, Nonce: w.Nonce}
}

func (s *Server) pollForThirdPartyJobs(ctx context.Context, c *call) (any, error) {
	var in struct {
		ActionTypeID *sluice.ActionTypeID `json:"actionTypeId"`
		MaxBatchSize *int                 `json:"maxBatchSize"`
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	var m members
	if in.ActionTypeID == nil {
		m.null("actionTypeId")
	} else {
		m.need("actionTypeId.category", in.ActionTypeID.Category, categoryRule)
		m.need("actionTypeId.owner", in.ActionTypeID.Owner, partnerOwnerRule)
		m.need("actionTypeId.provider", in.ActionTypeID.Provider, providerRule)
		m.need("actionTypeId.version", in.ActionTypeID.Version, versionRule)
	}
	m.atLeast("maxBatchSize", in.MaxBatchSize, 1)
	if err := m.err(); err != nil {
		return nil, err
	}
	wait, err := pollWait(c)
	if err != nil {
		return nil, err
	}
	p := service.ThirdPartyPollParams{Type: *in.ActionTypeID, Limit: pageSize(in.MaxBatchSize), Wait: wait}
	var got []service.ThirdPartyJob
	_, err = s.waitForJobs(ctx, wait, func(ctx context.Context) ([]*sluice.Job, error) {
		var err error
		got, err = s.Service.PollForThirdPartyJobs(ctx, c.caller, p)
		return nil, err
	})
	if err != nil {
		return nil, err
	}
	type jobRef struct {
		ClientID string `json:"clientId"`
		JobID    string `json:"jobId"`
	}
	out := []jobRef{}
	for _, j := range got {
		out = append(out, jobRef{ClientID: j.ClientID, JobID: j.Job.ID})
	}
	return map[string]any{"jobs": out}, nil
}

// thirdPartyJobIn is the jobId and clientToken every call about one partner job has.
type thirdPartyJobIn struct {
	JobID       string `json:"jobId"`
	ClientToken string `json:"clientToken"`
}

func (in thirdPartyJobIn) check(m *members) {
	m.need("jobId", in.JobID, thirdPartyJobIDRule)
	m.need("clientToken", in.ClientToken, partnerTokenRule)
}

func (s *Server) getThirdPartyJobDetails(ctx context.Context, c *call) (any, error) {
	var in thirdPartyJobIn
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	var m members
	in.check(&m)
	if err := m.err(); err != nil {
		return nil, err
	}
	j, err := s.Service.GetThirdPartyJob(ctx, c.caller, in.JobID, in.ClientToken)
	if err != nil {
		return nil, err
	}
	return map[string]any{"jobDetails": s.thirdPartyJobWire(j)}, nil
}

func (s *Server) acknowledgeThirdPartyJob(ctx context.Context, c *call) (any, error) {
	var in struct {
		thirdPartyJobIn
		Nonce string `json:"nonce"`
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	var m members
	m.need("jobId", in.JobID, thirdPartyJobIDRule)
	m.need("nonce", in.Nonce, nonceRule)
	m.need("clientToken", in.ClientToken, partnerTokenRule)
	if err := m.err(); err != nil {
		return nil, err
	}
	j, err := s.Service.AcknowledgeThirdPartyJob(ctx, c.caller, in.JobID, in.Nonce, in.ClientToken)
	if err != nil {
		return nil, err
	}
	return map[string]string{"status": string(j.Status)}, nil
}

func (s *Server) putThirdPartyJobSuccessResult(ctx context.Context, c *call) (any, error) {
	var in struct {
		thirdPartyJobIn
		CurrentRevision   *currentRevisionIn  `json:"currentRevision"`
		ContinuationToken string              `json:"continuationToken"`
		ExecutionDetails  *executionDetailsIn `json:"executionDetails"`
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	var m members
	in.check(&m)
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
	if err := m.err(); err != nil {
		return nil, err
	}
	res := sluice.JobResult{JobID: in.JobID, Success: true, ContinuationToken: in.ContinuationToken}
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
	return nil, s.Service.PutThirdPartyJobResult(ctx, c.caller, in.ClientToken, res)
}

func (s *Server) putThirdPartyJobFailureResult(ctx context.Context, c *call) (any, error) {
	var in struct {
		thirdPartyJobIn
		FailureDetails *failureDetailsIn `json:"failureDetails"`
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	var m members
	in.check(&m)
	in.FailureDetails.check(&m)
	if err := m.err(); err != nil {
		return nil, err
	}
	d := in.FailureDetails
	return nil, s.Service.PutThirdPartyJobResult(ctx, c.caller, in.ClientToken,
		sluice.JobResult{JobID: in.JobID, ErrorType: d.Type, ErrorMessage: d.Message, ExternalID: d.ExternalExecutionID})
}
