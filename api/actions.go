package api

import (
	"context"

	"sluice"
	"sluice/service"
)

type s3Location struct {
	Bucket string `json:"bucket,omitempty"`
	Key    string `json:"key,omitempty"`
}

type artifactDetail struct {
	Name       string     `json:"name"`
	S3Location s3Location `json:"s3location"`
}

type actionExecutionDetail struct {
	PipelineExecutionID string `json:"pipelineExecutionId"`
	ActionExecutionID   string `json:"actionExecutionId"`
	PipelineVersion     int    `json:"pipelineVersion"`
	StageName           string `json:"stageName"`
	ActionName          string `json:"actionName"`
	StartTime           *epoch `json:"startTime,omitempty"`
	LastUpdateTime      *epoch `json:"lastUpdateTime,omitempty"`
	UpdatedBy           string `json:"updatedBy,omitempty"`
	Status              string `json:"status"`
	Input               struct {
		ActionTypeID          *sluice.ActionTypeID `json:"actionTypeId,omitempty"`
		Configuration         map[string]string    `json:"configuration,omitempty"`
		ResolvedConfiguration map[string]string    `json:"resolvedConfiguration,omitempty"`
		InputArtifacts        []artifactDetail     `json:"inputArtifacts"`
		Namespace             string               `json:"namespace,omitempty"`
	} `json:"input"`
	Output struct {
		OutputArtifacts []artifactDetail  `json:"outputArtifacts"`
		ExecutionResult executionResult   `json:"executionResult"`
		OutputVariables map[string]string `json:"outputVariables,omitempty"`
	} `json:"output"`
}

// executionResult is the model's ActionExecutionResult, which RuleExecutionResult repeats.
type executionResult struct {
	ExternalExecutionID      string        `json:"externalExecutionId,omitempty"`
	ExternalExecutionSummary string        `json:"externalExecutionSummary,omitempty"`
	ExternalExecutionURL     string        `json:"externalExecutionUrl,omitempty"`
	ErrorDetails             *errorDetails `json:"errorDetails,omitempty"`
}

// resultOf renders a run's result; errorDetails only when the run failed with a code or message.
func resultOf(id, summary, url, code, message string) executionResult {
	r := executionResult{ExternalExecutionID: id, ExternalExecutionSummary: summary, ExternalExecutionURL: url}
	if code != "" || message != "" {
		r.ErrorDetails = &errorDetails{code, message}
	}
	return r
}

// actionExecutionsInput is the request of ListActionExecutions, and of ListRuleExecutions,
// whose members and filter mean the same.
type actionExecutionsInput struct {
	PipelineName string `json:"pipelineName"`
	Filter       struct {
		PipelineExecutionID       string `json:"pipelineExecutionId"`
		LatestInPipelineExecution *struct {
			PipelineExecutionID string `json:"pipelineExecutionId"`
			StartTimeRange      string `json:"startTimeRange"`
		} `json:"latestInPipelineExecution"`
	} `json:"filter"`
	MaxResults *int   `json:"maxResults"`
	NextToken  string `json:"nextToken"`
}

// check checks the members against the model.
func (in *actionExecutionsInput) check() error {
	var m members
	m.need("pipelineName", in.PipelineName, nameRule)
	m.between("maxResults", in.MaxResults, 1, 100)
	m.opt("nextToken", in.NextToken, nextTokenRule)
	m.opt("filter.pipelineExecutionId", in.Filter.PipelineExecutionID, executionIDRule)
	if latest := in.Filter.LatestInPipelineExecution; latest != nil {
		m.need("filter.latestInPipelineExecution.pipelineExecutionId", latest.PipelineExecutionID, executionIDRule)
		m.need("filter.latestInPipelineExecution.startTimeRange", latest.StartTimeRange, startRangeRule)
	}
	return m.err()
}

// executionFilter returns the execution the checked filter names and whether only the latest
// attempt of each action is wanted (latestInPipelineExecution with startTimeRange Latest).
func (in *actionExecutionsInput) executionFilter() (string, bool, error) {
	latest := in.Filter.LatestInPipelineExecution
	if latest == nil {
		return in.Filter.PipelineExecutionID, false, nil
	}
	if in.Filter.PipelineExecutionID != "" && in.Filter.PipelineExecutionID != latest.PipelineExecutionID {
		return "", false, sluice.Errorf(sluice.EInvalid, "", "The filter names two different pipeline executions; give pipelineExecutionId or latestInPipelineExecution.")
	}
	return latest.PipelineExecutionID, latest.StartTimeRange == "Latest", nil
}

// readExecutionsInput decodes and checks an actionExecutionsInput and returns what it asks for.
func readExecutionsInput(c *call) (service.ActionRunsParams, error) {
	var in actionExecutionsInput
	if err := decode(c.body, &in); err != nil {
		return service.ActionRunsParams{}, err
	}
	if err := in.check(); err != nil {
		return service.ActionRunsParams{}, err
	}
	execID, onlyLatest, err := in.executionFilter()
	return service.ActionRunsParams{Pipeline: in.PipelineName, ExecutionID: execID, OnlyLatest: onlyLatest,
		Page: sluice.Page{Token: in.NextToken, Limit: pageSize(in.MaxResults)}}, err
}

func (s *Server) listActionExecutions(ctx context.Context, c *call) (any, error) {
	p, err := readExecutionsInput(c)
	if err != nil {
		return nil, err
	}
	runs, err := s.Service.ListActionRuns(ctx, c.caller, p)
	if err != nil {
		return nil, err
	}
	out := struct {
		Details   []actionExecutionDetail `json:"actionExecutionDetails"`
		NextToken string                  `json:"nextToken,omitempty"`
	}{Details: []actionExecutionDetail{}, NextToken: runs.Next}
	for _, r := range runs.Runs {
		out.Details = append(out.Details, s.detail(p.Pipeline, r))
	}
	return out, nil
}

// detail renders an action run with its action's declaration in the version it ran on.
func (s *Server) detail(pipeline string, run service.ActionRunDetail) actionExecutionDetail {
	r := run.ActionRun
	d := actionExecutionDetail{PipelineExecutionID: r.ExecutionID, ActionExecutionID: r.ID, PipelineVersion: r.PipelineVersion,
		StageName: r.StageName, ActionName: r.ActionName, StartTime: ts(r.StartTime), LastUpdateTime: ts(r.LastUpdateTime),
		UpdatedBy: r.UpdatedBy, Status: string(r.Status)}
	url := r.ExternalExecutionURL
	if a := run.Action; a != nil {
		d.Input.ActionTypeID, d.Input.Configuration, d.Input.Namespace = &a.ActionTypeID, a.Configuration, a.Namespace
		d.Input.ResolvedConfiguration = r.ResolvedConfiguration
		url = s.logLink(pipeline, r, a.ActionTypeID)
	}
	d.Input.InputArtifacts = s.artifactDetails(r.InputArtifacts)
	d.Output.OutputArtifacts = []artifactDetail{}
	if r.Status == sluice.ActionSucceeded {
		d.Output.OutputArtifacts = s.artifactDetails(r.OutputArtifacts)
	}
	d.Output.ExecutionResult = resultOf(r.ExternalExecutionID, r.Summary, url, r.ErrorCode, r.ErrorMessage)
	d.Output.OutputVariables = r.OutputVariables
	return d
}

// artifactDetails shows where the artifact store keeps each artifact: the bucket and object
// key on S3, or the default bucket name and the key on local disk.
func (s *Server) artifactDetails(refs []sluice.ArtifactRef) []artifactDetail {
	out := []artifactDetail{}
	for _, r := range refs {
		bucket, key := s.Locate(r.Key)
		out = append(out, artifactDetail{Name: r.Name, S3Location: s3Location{Bucket: bucket, Key: key}})
	}
	return out
}

func (s *Server) putApprovalResult(ctx context.Context, c *call) (any, error) {
	var in struct {
		PipelineName string `json:"pipelineName"`
		StageName    string `json:"stageName"`
		ActionName   string `json:"actionName"`
		Result       *struct {
			Summary *string `json:"summary"`
			Status  string  `json:"status"`
		} `json:"result"`
		Token string `json:"token"`
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	var m members
	m.need("pipelineName", in.PipelineName, nameRule)
	m.need("stageName", in.StageName, nameRule)
	m.need("actionName", in.ActionName, nameRule)
	summary := ""
	switch {
	case in.Result == nil:
		m.null("result")
	case in.Result.Summary == nil:
		m.null("result.summary")
	default:
		summary = *in.Result.Summary
		m.present("result.summary", summary, summaryRule)
	}
	if in.Result != nil {
		m.need("result.status", in.Result.Status, approvalRule)
	}
	m.need("token", in.Token, approvalTokenRule)
	if err := m.err(); err != nil {
		return nil, err
	}
	at, err := s.Service.PutApprovalResult(ctx, c.caller, service.ApprovalParams{Pipeline: in.PipelineName, Stage: in.StageName,
		Action: in.ActionName, Token: in.Token, Approved: in.Result.Status == "Approved", Summary: summary})
	if err != nil {
		return nil, err
	}
	return map[string]*epoch{"approvedAt": ts(at)}, nil
}
