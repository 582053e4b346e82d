package api

import (
	"context"
	"fmt"

	"sluice"
	"sluice/service"
)

var (
	actionExecutionIDRule = modelRule("ActionExecutionId")
	targetFilterNameRule  = modelRule("TargetFilterName")
	targetFilterValueRule = modelRule("TargetFilterValue")
)

type deployTargetsIn struct {
	PipelineName      string `json:"pipelineName"`
	ActionExecutionID string `json:"actionExecutionId"`
	Filters           []struct {
		Name   string    `json:"name"`
		Values []*string `json:"values"`
	} `json:"filters"`
	MaxResults *int   `json:"maxResults"`
	NextToken  string `json:"nextToken"`
}

// params checks the members and returns the service's parameters: the values of every
// TARGET_STATUS filter together (a filter without values keeps nothing out).
func (in *deployTargetsIn) params() (service.DeployTargetsParams, error) {
	var m members
	m.opt("pipelineName", in.PipelineName, nameRule)
	m.need("actionExecutionId", in.ActionExecutionID, actionExecutionIDRule)
	m.between("maxResults", in.MaxResults, 1, 100)
	m.opt("nextToken", in.NextToken, nextTokenRule)
	var statuses []string
	for i, f := range in.Filters {
		path := fmt.Sprintf("filters.%d.member.", i+1)
		m.opt(path+"name", f.Name, targetFilterNameRule)
		for j, v := range f.Values {
			if v == nil {
				m.null(fmt.Sprintf("%svalues.%d.member", path, j+1))
				continue
			}
			m.present(fmt.Sprintf("%svalues.%d.member", path, j+1), *v, targetFilterValueRule)
			statuses = append(statuses, *v)
		}
	}
	return service.DeployTargetsParams{Pipeline: in.PipelineName, ActionRunID: in.ActionExecutionID, Statuses: statuses,
		Page: sluice.Page{Token: in.NextToken, Limit: pageSize(in.MaxResults)}}, m.err()
}

type deployTargetEventContext struct {
	SSMCommandID string `json:"ssmCommandId,omitempty"`
	Message      string `json:"message,omitempty"`
}

type deployTargetEvent struct {
	Name      string                    `json:"name"`
	Status    string                    `json:"status"`
	StartTime *epoch                    `json:"startTime,omitempty"`
	EndTime   *epoch                    `json:"endTime,omitempty"`
	Context   *deployTargetEventContext `json:"context,omitempty"`
}

type deployTarget struct {
	TargetID   string              `json:"targetId"`
	TargetType string              `json:"targetType"`
	Status     string              `json:"status"`
	StartTime  *epoch              `json:"startTime,omitempty"`
	EndTime    *epoch              `json:"endTime,omitempty"`
	Events     []deployTargetEvent `json:"events"`
}

func wireDeployTarget(t *sluice.DeployTarget) deployTarget {
	out := deployTarget{TargetID: t.TargetID, TargetType: t.TargetType, Status: t.Status,
		StartTime: ts(t.StartTime), EndTime: ts(t.EndTime), Events: []deployTargetEvent{}}
	for _, e := range t.Events {
		ev := deployTargetEvent{Name: e.Name, Status: e.Status, StartTime: ts(e.StartTime), EndTime: ts(e.EndTime)}
		if e.SSMCommandID != "" || e.Message != "" {
			ev.Context = &deployTargetEventContext{e.SSMCommandID, e.Message}
		}
		out.Events = append(out.Events, ev)
	}
	return out
}

func (s *Server) listDeployTargets(ctx context.Context, c *call) (any, error) {
	var in deployTargetsIn
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	p, err := in.params()
	if err != nil {
		return nil, err
	}
	targets, next, err := s.Service.ListDeployTargets(ctx, c.caller, p)
	if err != nil {
		return nil, err
	}
	out := struct {
		Targets   []deployTarget `json:"targets"`
		NextToken string         `json:"nextToken,omitempty"`
	}{Targets: []deployTarget{}, NextToken: next}
	for _, t := range targets {
		out.Targets = append(out.Targets, wireDeployTarget(t))
	}
	return out, nil
}
