package api

import (
	"context"
	"fmt"
	"sort"
	"time"

	"sluice"
	"sluice/service"
)

var (
	revisionTypeRule  = modelRule("SourceRevisionType")
	revisionValueRule = modelRule("Revision").quietly()
)

func (s *Server) startExecution(ctx context.Context, c *call) (any, error) {
	var in struct {
		Name      string `json:"name"`
		Variables []struct {
			Name  string  `json:"name"`
			Value *string `json:"value"`
		} `json:"variables"`
		ClientRequestToken string                          `json:"clientRequestToken"`
		SourceRevisions    []sluice.SourceRevisionOverride `json:"sourceRevisions"`
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	var m members
	m.need("name", in.Name, nameRule)
	m.atMost("variables", len(in.Variables), 50)
	for i, v := range in.Variables {
		path := fmt.Sprintf("variables.%d.member", i+1)
		m.need(path+".name", v.Name, variableRule)
		if v.Value == nil {
			m.null(path + ".value")
		} else {
			m.present(path+".value", *v.Value, valueRule)
		}
	}
	m.opt("clientRequestToken", in.ClientRequestToken, clientTokenRule)
	m.atMost("sourceRevisions", len(in.SourceRevisions), 50)
	for i, r := range in.SourceRevisions {
		path := fmt.Sprintf("sourceRevisions.%d.member.", i+1)
		m.need(path+"actionName", r.ActionName, nameRule)
		m.need(path+"revisionType", r.RevisionType, revisionTypeRule)
		m.need(path+"revisionValue", r.RevisionValue, revisionValueRule)
	}
	if err := m.err(); err != nil {
		return nil, err
	}
	vars := map[string]string{}
	for _, v := range in.Variables {
		vars[v.Name] = *v.Value
	}
	id, err := s.Service.StartExecution(ctx, c.caller, service.StartParams{Pipeline: in.Name, Variables: vars,
		ClientToken: in.ClientRequestToken, SourceRevisions: in.SourceRevisions})
	if err != nil {
		return nil, err
	}
	return map[string]string{"pipelineExecutionId": id}, nil
}

func (s *Server) stopExecution(ctx context.Context, c *call) (any, error) {
	var in struct {
		PipelineName        string `json:"pipelineName"`
		PipelineExecutionID string `json:"pipelineExecutionId"`
		Abandon             bool   `json:"abandon"`
		Reason              string `json:"reason"`
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	var m members
	m.need("pipelineName", in.PipelineName, nameRule)
	m.need("pipelineExecutionId", in.PipelineExecutionID, executionIDRule)
	m.opt("reason", in.Reason, stopReasonRule)
	if err := m.err(); err != nil {
		return nil, err
	}
	err := s.Service.StopExecution(ctx, c.caller, service.StopParams{Pipeline: in.PipelineName,
		ExecutionID: in.PipelineExecutionID, Abandon: in.Abandon, Reason: in.Reason})
	if err != nil {
		return nil, err
	}
	return map[string]string{"pipelineExecutionId": in.PipelineExecutionID}, nil
}

func (s *Server) retryStage(ctx context.Context, c *call) (any, error) {
	var in struct {
		PipelineName        string `json:"pipelineName"`
		StageName           string `json:"stageName"`
		PipelineExecutionID string `json:"pipelineExecutionId"`
		RetryMode           string `json:"retryMode"`
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	var m members
	m.need("pipelineName", in.PipelineName, nameRule)
	m.need("stageName", in.StageName, nameRule)
	m.need("pipelineExecutionId", in.PipelineExecutionID, executionIDRule)
	m.need("retryMode", in.RetryMode, retryModeRule)
	if err := m.err(); err != nil {
		return nil, err
	}
	err := s.Service.RetryStage(ctx, c.caller, service.RetryParams{Pipeline: in.PipelineName, Stage: in.StageName,
		ExecutionID: in.PipelineExecutionID, Mode: sluice.RetryMode(in.RetryMode)})
	if notFound(err, "PipelineExecution") {
		// An execution the pipeline does not have: the model has no not-found exception for
		// it, and such an execution has no failed actions in the stage to retry.
		err = s.asModelled(err, sluice.ENotRetryable, "")
	}
	if err != nil {
		return nil, err
	}
	return map[string]string{"pipelineExecutionId": in.PipelineExecutionID}, nil
}

type trigger struct {
	TriggerType   string `json:"triggerType"`
	TriggerDetail string `json:"triggerDetail,omitempty"`
}

type artifactRevision struct {
	Name                     string `json:"name,omitempty"`
	RevisionID               string `json:"revisionId,omitempty"`
	RevisionChangeIdentifier string `json:"revisionChangeIdentifier,omitempty"`
	RevisionSummary          string `json:"revisionSummary,omitempty"`
	Created                  *epoch `json:"created,omitempty"`
	RevisionURL              string `json:"revisionUrl,omitempty"`
}

type resolvedVariable struct {
	Name          string `json:"name"`
	ResolvedValue string `json:"resolvedValue"`
}

func (s *Server) getExecution(ctx context.Context, c *call) (any, error) {
	var in struct {
		PipelineName        string `json:"pipelineName"`
		PipelineExecutionID string `json:"pipelineExecutionId"`
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	var m members
	m.need("pipelineName", in.PipelineName, nameRule)
	m.need("pipelineExecutionId", in.PipelineExecutionID, executionIDRule)
	if err := m.err(); err != nil {
		return nil, err
	}
	e, p, err := s.Service.GetExecution(ctx, c.caller, in.PipelineName, in.PipelineExecutionID)
	if err != nil {
		return nil, err
	}
	out := struct {
		PipelineName        string             `json:"pipelineName"`
		PipelineVersion     int                `json:"pipelineVersion"`
		PipelineExecutionID string             `json:"pipelineExecutionId"`
		Status              string             `json:"status"`
		StatusSummary       string             `json:"statusSummary,omitempty"`
		ArtifactRevisions   []artifactRevision `json:"artifactRevisions"`
		Variables           []resolvedVariable `json:"variables,omitempty"`
		Trigger             trigger            `json:"trigger"`
		ExecutionMode       string             `json:"executionMode"`
		ExecutionType       string             `json:"executionType"`
		RollbackMetadata    *rollbackMetadata  `json:"rollbackMetadata,omitempty"`
	}{PipelineName: e.PipelineName, PipelineVersion: e.PipelineVersion, PipelineExecutionID: e.ID,
		Status: string(e.Status), StatusSummary: e.StatusSummary, ArtifactRevisions: artifactRevisions(&p.Declaration, e),
		Trigger: trigger{e.Trigger.Type, e.Trigger.Detail}, ExecutionMode: string(e.Mode), ExecutionType: string(e.ExecutionType()),
		RollbackMetadata: rollbackOf(e)}
	for _, k := range sortedKeys(e.Variables) {
		out.Variables = append(out.Variables, resolvedVariable{k, e.Variables[k]})
	}
	return map[string]any{"pipelineExecution": out}, nil
}

// artifactRevisions lists the revision of every source output artifact of an execution.
func artifactRevisions(d *sluice.PipelineDeclaration, e *sluice.Execution) []artifactRevision {
	out := []artifactRevision{}
	if len(d.Stages) == 0 {
		return out
	}
	for _, a := range d.Stages[0].Actions {
		rev, ok := e.Revisions[a.Name]
		if !ok {
			continue
		}
		for _, o := range a.OutputArtifacts {
			out = append(out, artifactRevision{Name: o.Name, RevisionID: rev.RevisionID, RevisionChangeIdentifier: rev.ChangeIdentifier,
				RevisionSummary: rev.Summary, Created: ts(rev.Created), RevisionURL: rev.URL})
		}
	}
	return out
}

type sourceRevision struct {
	ActionName      string `json:"actionName"`
	RevisionID      string `json:"revisionId,omitempty"`
	RevisionSummary string `json:"revisionSummary,omitempty"`
	RevisionURL     string `json:"revisionUrl,omitempty"`
}

type executionSummary struct {
	PipelineExecutionID string           `json:"pipelineExecutionId"`
	Status              string           `json:"status"`
	StatusSummary       string           `json:"statusSummary,omitempty"`
	StartTime           *epoch           `json:"startTime,omitempty"`
	LastUpdateTime      *epoch           `json:"lastUpdateTime,omitempty"`
	SourceRevisions     []sourceRevision `json:"sourceRevisions"`
	Trigger             trigger          `json:"trigger"`
	StopTrigger         *struct {
		Reason string `json:"reason,omitempty"`
	} `json:"stopTrigger,omitempty"`
	ExecutionMode    string            `json:"executionMode"`
	ExecutionType    string            `json:"executionType"`
	RollbackMetadata *rollbackMetadata `json:"rollbackMetadata,omitempty"`
}

// rollbackMetadata is the model's PipelineRollbackMetadata.
type rollbackMetadata struct {
	RollbackTargetPipelineExecutionID string `json:"rollbackTargetPipelineExecutionId"`
}

// rollbackOf is a rollback execution's metadata, nil for any other execution.
func rollbackOf(e *sluice.Execution) *rollbackMetadata {
	if e.ExecutionType() != sluice.ExecutionRollback || e.RollbackTarget == "" {
		return nil
	}
	return &rollbackMetadata{e.RollbackTarget}
}

func (s *Server) listExecutions(ctx context.Context, c *call) (any, error) {
	var in struct {
		PipelineName string `json:"pipelineName"`
		MaxResults   *int   `json:"maxResults"`
		NextToken    string `json:"nextToken"`
		Filter       struct {
			SucceededInStage struct {
				StageName string `json:"stageName"`
			} `json:"succeededInStage"`
		} `json:"filter"`
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	var m members
	m.need("pipelineName", in.PipelineName, nameRule)
	m.between("maxResults", in.MaxResults, 1, 100)
	m.opt("nextToken", in.NextToken, nextTokenRule)
	m.opt("filter.succeededInStage.stageName", in.Filter.SucceededInStage.StageName, nameRule)
	if err := m.err(); err != nil {
		return nil, err
	}
	execs, next, err := s.Service.ListExecutions(ctx, c.caller, in.PipelineName, sluice.ExecutionFilter{
		Page: sluice.Page{Token: in.NextToken, Limit: pageSize(in.MaxResults)}, SucceededInStage: in.Filter.SucceededInStage.StageName})
	if err != nil {
		return nil, err
	}
	out := struct {
		Summaries []executionSummary `json:"pipelineExecutionSummaries"`
		NextToken string             `json:"nextToken,omitempty"`
	}{Summaries: []executionSummary{}, NextToken: next}
	for _, e := range execs {
		out.Summaries = append(out.Summaries, summarize(e))
	}
	return out, nil
}

func summarize(e *sluice.Execution) executionSummary {
	sum := executionSummary{PipelineExecutionID: e.ID, Status: string(e.Status), StatusSummary: e.StatusSummary,
		StartTime: ts(e.StartTime), LastUpdateTime: ts(e.LastUpdateTime), SourceRevisions: []sourceRevision{},
		Trigger: trigger{e.Trigger.Type, e.Trigger.Detail}, ExecutionMode: string(e.Mode), ExecutionType: string(e.ExecutionType()),
		RollbackMetadata: rollbackOf(e)}
	for _, name := range sortedKeys(e.Revisions) {
		r := e.Revisions[name]
		sum.SourceRevisions = append(sum.SourceRevisions, sourceRevision{name, r.RevisionID, r.Summary, r.URL})
	}
	if e.StopReason != "" || e.Status == sluice.ExecutionStopped || e.Status == sluice.ExecutionStopping {
		sum.StopTrigger = &struct {
			Reason string `json:"reason,omitempty"`
		}{e.StopReason}
	}
	return sum
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func (s *Server) putActionRevision(ctx context.Context, c *call) (any, error) {
	var in struct {
		PipelineName   string `json:"pipelineName"`
		StageName      string `json:"stageName"`
		ActionName     string `json:"actionName"`
		ActionRevision *struct {
			RevisionID       string `json:"revisionId"`
			RevisionChangeID string `json:"revisionChangeId"`
			Created          *epoch `json:"created"`
		} `json:"actionRevision"`
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	var m members
	m.need("pipelineName", in.PipelineName, nameRule)
	m.need("stageName", in.StageName, nameRule)
	m.need("actionName", in.ActionName, nameRule)
	if r := in.ActionRevision; r == nil {
		m.null("actionRevision")
	} else {
		m.need("actionRevision.revisionId", r.RevisionID, revisionRule)
		m.need("actionRevision.revisionChangeId", r.RevisionChangeID, changeIDRule)
		if r.Created == nil {
			m.null("actionRevision.created")
		}
	}
	if err := m.err(); err != nil {
		return nil, err
	}
	r := in.ActionRevision
	rev := sluice.Revision{RevisionID: r.RevisionID, ChangeIdentifier: r.RevisionChangeID, Created: time.Time(*r.Created)}
	started, id, err := s.Service.PutActionRevision(ctx, c.caller, service.PutActionRevisionParams{Pipeline: in.PipelineName,
		Stage: in.StageName, Action: in.ActionName, Revision: rev})
	if err != nil {
		return nil, err
	}
	return map[string]any{"newRevision": started, "pipelineExecutionId": id}, nil
}
