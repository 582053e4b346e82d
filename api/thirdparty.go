package api

import (
	"context"

	"sluice"
	"sluice/jobwire"
	"sluice/service"
)

// The third-party (partner) job protocol (SEMANTICS §9.3): the Custom job protocol's
// machinery, with the clientToken of the type's client checked on every call about a job.
// Each operation's request is read by a read* function of its own, which FuzzDecode calls.
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

// readPartnerPoll reads PollForThirdPartyJobs (and the long-poll header PollForJobs takes).
func readPartnerPoll(c *call) (service.ThirdPartyPollParams, error) {
	var in struct {
		ActionTypeID *sluice.ActionTypeID `json:"actionTypeId"`
		MaxBatchSize *int                 `json:"maxBatchSize"`
	}
	if err := decode(c.body, &in); err != nil {
		return service.ThirdPartyPollParams{}, err
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
		return service.ThirdPartyPollParams{}, err
	}
	wait, err := pollWait(c)
	if err != nil {
		return service.ThirdPartyPollParams{}, err
	}
	return service.ThirdPartyPollParams{Type: *in.ActionTypeID, Limit: pageSize(in.MaxBatchSize), Wait: wait}, nil
}

func (s *Server) pollForThirdPartyJobs(ctx context.Context, c *call) (any, error) {
	p, err := readPartnerPoll(c)
	if err != nil {
		return nil, err
	}
	var got []service.ThirdPartyJob
	_, err = s.waitForJobs(ctx, p.Wait, func(ctx context.Context) ([]*sluice.Job, error) {
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

// partnerJobIn is what every request about one partner job has: its id, the client's
// token and, to acknowledge it, its nonce.
type partnerJobIn struct {
	JobID       string `json:"jobId"`
	ClientToken string `json:"clientToken"`
	Nonce       string `json:"nonce"`
}

// readPartnerJob reads GetThirdPartyJobDetails, or AcknowledgeThirdPartyJob withNonce.
func readPartnerJob(body []byte, withNonce bool) (partnerJobIn, error) {
	var in partnerJobIn
	if err := decode(body, &in); err != nil {
		return in, err
	}
	var m members
	m.need("jobId", in.JobID, thirdPartyJobIDRule)
	if withNonce {
		m.need("nonce", in.Nonce, nonceRule)
	}
	m.need("clientToken", in.ClientToken, partnerTokenRule)
	return in, m.err()
}

func (s *Server) getThirdPartyJobDetails(ctx context.Context, c *call) (any, error) {
	in, err := readPartnerJob(c.body, false)
	if err != nil {
		return nil, err
	}
	j, err := s.Service.GetThirdPartyJob(ctx, c.caller, in.JobID, in.ClientToken)
	if err != nil {
		return nil, err
	}
	return map[string]any{"jobDetails": s.thirdPartyJobWire(j)}, nil
}

func (s *Server) acknowledgeThirdPartyJob(ctx context.Context, c *call) (any, error) {
	in, err := readPartnerJob(c.body, true)
	if err != nil {
		return nil, err
	}
	j, err := s.Service.AcknowledgeThirdPartyJob(ctx, c.caller, in.JobID, in.Nonce, in.ClientToken)
	if err != nil {
		return nil, err
	}
	return map[string]string{"status": string(j.Status)}, nil
}

// readPartnerSuccess reads PutThirdPartyJobSuccessResult: the client's token and the result.
func readPartnerSuccess(body []byte) (string, sluice.JobResult, error) {
	var in struct {
		JobID             string              `json:"jobId"`
		ClientToken       string              `json:"clientToken"`
		CurrentRevision   *currentRevisionIn  `json:"currentRevision"`
		ContinuationToken string              `json:"continuationToken"`
		ExecutionDetails  *executionDetailsIn `json:"executionDetails"`
	}
	if err := decode(body, &in); err != nil {
		return "", sluice.JobResult{}, err
	}
	var m members
	m.need("jobId", in.JobID, thirdPartyJobIDRule)
	m.need("clientToken", in.ClientToken, partnerTokenRule)
	m.checkSuccess(in.ContinuationToken, in.CurrentRevision, in.ExecutionDetails)
	if err := m.err(); err != nil {
		return "", sluice.JobResult{}, err
	}
	return in.ClientToken, successResult(in.JobID, in.ContinuationToken, in.CurrentRevision, in.ExecutionDetails), nil
}

func (s *Server) putThirdPartyJobSuccessResult(ctx context.Context, c *call) (any, error) {
	token, res, err := readPartnerSuccess(c.body)
	if err != nil {
		return nil, err
	}
	return nil, s.Service.PutThirdPartyJobResult(ctx, c.caller, token, res)
}

// readPartnerFailure reads PutThirdPartyJobFailureResult: the client's token and the result.
func readPartnerFailure(body []byte) (string, sluice.JobResult, error) {
	var in struct {
		JobID          string            `json:"jobId"`
		ClientToken    string            `json:"clientToken"`
		FailureDetails *failureDetailsIn `json:"failureDetails"`
	}
	if err := decode(body, &in); err != nil {
		return "", sluice.JobResult{}, err
	}
	var m members
	m.need("jobId", in.JobID, thirdPartyJobIDRule)
	m.need("clientToken", in.ClientToken, partnerTokenRule)
	in.FailureDetails.check(&m)
	if err := m.err(); err != nil {
		return "", sluice.JobResult{}, err
	}
	d := in.FailureDetails
	return in.ClientToken, sluice.JobResult{JobID: in.JobID, ErrorType: d.Type, ErrorMessage: d.Message, ExternalID: d.ExternalExecutionID}, nil
}

func (s *Server) putThirdPartyJobFailureResult(ctx context.Context, c *call) (any, error) {
	token, res, err := readPartnerFailure(c.body)
	if err != nil {
		return nil, err
	}
	return nil, s.Service.PutThirdPartyJobResult(ctx, c.caller, token, res)
}
