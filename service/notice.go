package service

import (
	"context"
	"encoding/json"
	"net/url"
	"slices"

	"sluice"
	"sluice/eventbus"
)

// notice is what the notices of one event say, read once for every rule and target: the
// event, its execution's commit, and the FULL detail's additional attributes.
type notice struct {
	ev          *sluice.Event
	region      string
	link        string // the execution's page in the console ("" without a console URL)
	commit      string // the first source revision, shortened
	failedStage string
	additional  map[string]any // FULL's additionalAttributes
}

// noticeOf reads what the notices of env say.
func (s *Service) noticeOf(ctx context.Context, env *eventbus.Envelope) (*notice, error) {
	ev := &env.Record.Event
	n := &notice{ev: ev, region: s.Region(), additional: map[string]any{}}
	if s.ConsoleURL != "" && ev.ExecutionID != "" {
		n.link = s.ConsoleURL + "/pipelines/" + url.PathEscape(ev.PipelineName) + "/executions/" + url.PathEscape(ev.ExecutionID)
	}
	e, err := s.Store.GetExecution(ctx, ev.PipelineName, ev.ExecutionID)
	if sluice.IsCode(err, sluice.ENotFound) {
		return n, nil // the pipeline is gone: the event alone
	}
	if err != nil {
		return nil, err
	}
	n.commit = firstRevision(e)
	return n, s.addAttributes(ctx, n, e)
}

// firstRevision is the revision of the execution's first source action (by name), short.
func firstRevision(e *sluice.Execution) string {
	names := make([]string, 0, len(e.Revisions))
	for name := range e.Revisions {
		names = append(names, name)
	}
	slices.Sort(names)
	if len(names) == 0 {
		return ""
	}
	id := e.Revisions[names[0]].RevisionID
	if len(id) > 7 {
		id = id[:7]
	}
	return id
}

// addAttributes sets FULL's additionalAttributes (the semantics' §4.3): the failed actions
// of a failed execution, an action's failure summary, an approval's link and custom data,
// the source actions of a stage that starts.
func (s *Service) addAttributes(ctx context.Context, n *notice, e *sluice.Execution) error {
	ev := n.ev
	switch {
	case ev.DetailType == sluice.DetailStage && ev.State == "STARTED":
		return s.addSourceActions(ctx, n, e)
	case ev.DetailType == sluice.DetailExecution && ev.State == "FAILED":
		runs, _, err := s.Store.ListActionRuns(ctx, ev.PipelineName, sluice.ActionRunFilter{ExecutionID: ev.ExecutionID, Page: sluice.Page{Limit: 1000}})
		if err != nil {
			return err
		}
		failed := []map[string]string{}
		for _, r := range runs {
			if r.Status == sluice.ActionFailed {
				failed = append(failed, map[string]string{"action": r.ActionName, "additionalInformation": r.Summary})
				n.failedStage = r.StageName
			}
		}
		n.additional["failedActionCount"] = len(failed)
		n.additional["failedActions"] = failed
		if n.failedStage != "" {
			n.additional["failedStage"] = n.failedStage
		}
	case ev.DetailType == sluice.DetailAction && ev.State == "FAILED" && ev.Result != nil:
		n.additional["additionalInformation"] = ev.Result.Summary
	case ev.DetailType == sluice.DetailAction && ev.State == "STARTED" && isApproval(ev):
		r, err := s.Store.GetActionRun(ctx, ev.PipelineName, ev.ActionRunID)
		if sluice.IsCode(err, sluice.ENotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		for key, attr := range map[string]string{"ExternalEntityLink": "externalEntityLink", "CustomData": "customData"} {
			if v := r.ResolvedConfiguration[key]; v != "" {
				n.additional[attr] = v
			}
		}
	}
	return nil
}

func isApproval(ev *sluice.Event) bool {
	return ev.ActionType != nil && ev.ActionType.Category == sluice.CategoryApproval
}

// processedEvent is the message an SNS target receives (§4.3): the envelope without version
// and id, detail-type as detailType, the rule's ARN and the additional attributes.
type processedEvent struct {
	Account              string          `json:"account"`
	DetailType           string          `json:"detailType"`
	Region               string          `json:"region"`
	Source               string          `json:"source"`
	Time                 string          `json:"time"`
	NotificationRuleArn  string          `json:"notificationRuleArn"`
	Detail               json.RawMessage `json:"detail"`
	Resources            []string        `json:"resources"`
	AdditionalAttributes map[string]any  `json:"additionalAttributes"`
}

func (n *notice) processed(env *eventbus.Envelope, r *sluice.NotificationRule) processedEvent {
	extra := n.additional
	if r.DetailType != sluice.NotificationFull {
		extra = map[string]any{}
	}
	return processedEvent{Account: env.Account, DetailType: env.DetailType, Region: env.Region, Source: env.Source,
		Time: env.Time, NotificationRuleArn: r.ARN, Detail: env.Detail, Resources: env.Resources, AdditionalAttributes: extra}
}

// addSourceActions lists the execution's source actions with their provider and the
// variables their revisions carry (sourceActions, on every stage that starts).
func (s *Service) addSourceActions(ctx context.Context, n *notice, e *sluice.Execution) error {
	p, err := s.Store.GetPipeline(ctx, e.PipelineName, e.PipelineVersion)
	if sluice.IsCode(err, sluice.ENotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	runs, _, err := s.Store.ListActionRuns(ctx, e.PipelineName, sluice.ActionRunFilter{ExecutionID: e.ID, Page: sluice.Page{Limit: 1000}})
	if err != nil {
		return err
	}
	sources := []map[string]any{}
	for _, st := range p.Declaration.Stages {
		for _, a := range st.Actions {
			if a.ActionTypeID.Category != sluice.CategorySource {
				continue
			}
			// The revision's variables known at the trigger, then what the source job reported.
			vars := map[string]string{}
			for k, v := range e.Revisions[a.Name].Variables {
				vars[k] = v
			}
			for _, r := range runs {
				if r.StageName == st.Name && r.ActionName == a.Name {
					for k, v := range r.OutputVariables {
						vars[k] = v
					}
				}
			}
			sources = append(sources, map[string]any{"sourceActionName": a.Name, "sourceActionProvider": a.ActionTypeID.Provider,
				"sourceActionVariables": vars})
		}
	}
	n.additional["sourceActions"] = sources
	return nil
}
