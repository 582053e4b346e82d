package api

import (
	"context"

	"sluice"
	"sluice/service"
)

// ruleExecutionDetail is the model's RuleExecutionDetail.
type ruleExecutionDetail struct {
	PipelineExecutionID string `json:"pipelineExecutionId"`
	RuleExecutionID     string `json:"ruleExecutionId"`
	PipelineVersion     int    `json:"pipelineVersion"`
	StageName           string `json:"stageName"`
	RuleName            string `json:"ruleName"`
	StartTime           *epoch `json:"startTime,omitempty"`
	LastUpdateTime      *epoch `json:"lastUpdateTime,omitempty"`
	UpdatedBy           string `json:"updatedBy,omitempty"`
	Status              string `json:"status"`
	Input               struct {
		RuleTypeID            *sluice.RuleTypeID `json:"ruleTypeId,omitempty"`
		Configuration         map[string]string  `json:"configuration"`
		ResolvedConfiguration map[string]string  `json:"resolvedConfiguration"`
		RoleARN               string             `json:"roleArn,omitempty"`
		Region                string             `json:"region,omitempty"`
		InputArtifacts        []artifactDetail   `json:"inputArtifacts"`
	} `json:"input"`
	Output struct {
		ExecutionResult executionResult `json:"executionResult"`
	} `json:"output"`
}

// listRuleExecutions serves ListRuleExecutions, whose request has ListActionExecutions'
// members (actionExecutionsInput) and whose filter means the same.
func (s *Server) listRuleExecutions(ctx context.Context, c *call) (any, error) {
	p, err := readExecutionsInput(c)
	if err != nil {
		return nil, err
	}
	runs, next, err := s.Service.ListRuleRuns(ctx, c.caller, service.RuleRunsParams(p)) // the same fields
	if err != nil {
		return nil, err
	}
	out := struct {
		Details   []ruleExecutionDetail `json:"ruleExecutionDetails"`
		NextToken string                `json:"nextToken,omitempty"`
	}{Details: []ruleExecutionDetail{}, NextToken: next}
	for _, r := range runs {
		out.Details = append(out.Details, s.ruleDetail(r))
	}
	return out, nil
}

// ruleDetail renders a rule run; every member it has not got is absent.
func (s *Server) ruleDetail(r *sluice.RuleRun) ruleExecutionDetail {
	d := ruleExecutionDetail{PipelineExecutionID: r.ExecutionID, RuleExecutionID: r.ID, PipelineVersion: r.PipelineVersion,
		StageName: r.StageName, RuleName: r.RuleName, StartTime: ts(r.StartTime), LastUpdateTime: ts(r.LastUpdateTime),
		UpdatedBy: r.UpdatedBy, Status: string(r.Status)}
	if r.RuleType.Provider != "" {
		id := r.RuleType
		d.Input.RuleTypeID = &id
	}
	// A rule declared without configuration (a Commands rule) has {} as AWS answers it.
	d.Input.Configuration, d.Input.ResolvedConfiguration = nonNilMap(r.Configuration), nonNilMap(r.ResolvedConfiguration)
	d.Input.RoleARN, d.Input.Region = r.RoleARN, r.Region
	d.Input.InputArtifacts = s.artifactDetails(r.InputArtifacts)
	d.Output.ExecutionResult = resultOf(r.ExternalExecutionID, r.Summary, r.ExternalExecutionURL, r.ErrorCode, r.ErrorMessage)
	return d
}
