package eventbus

import (
	"encoding/json"
	"strconv"
	"time"

	"sluice"
)

// detail is CodePipeline's detail object, in the documented field order.
type detail struct {
	Pipeline          string         `json:"pipeline"`
	ExecutionID       string         `json:"execution-id"`
	StartTime         string         `json:"start-time,omitempty"`
	ExecutionTrigger  *trigger       `json:"execution-trigger,omitempty"`
	StopComments      string         `json:"stop-execution-comments,omitempty"`
	Stage             string         `json:"stage,omitempty"`
	Action            string         `json:"action,omitempty"`
	ActionExecutionID string         `json:"action-execution-id,omitempty"`
	State             string         `json:"state"`
	Region            string         `json:"region,omitempty"`
	Type              *actionType    `json:"type,omitempty"`
	InputArtifacts    []artifact     `json:"input-artifacts,omitempty"`
	OutputArtifacts   []artifact     `json:"output-artifacts,omitempty"`
	ExecutionResult   *result        `json:"execution-result,omitempty"`
	Approval          *approvalNotes `json:"approval,omitempty"` // Sluice's approval-needed event
	Version           json.Number    `json:"version"`
	Attempt           json.Number    `json:"pipeline-execution-attempt"`
}

type trigger struct {
	Type   string `json:"trigger-type"`
	Detail string `json:"trigger-detail,omitempty"`
}

type actionType struct {
	Owner    string `json:"owner"`
	Provider string `json:"provider"`
	Category string `json:"category"`
	Version  string `json:"version"`
}

type artifact struct {
	Name       string     `json:"name"`
	S3Location s3Location `json:"s3location"`
}

type s3Location struct {
	Bucket string `json:"bucket"`
	Key    string `json:"key"`
}

type result struct {
	ExternalURL string `json:"external-execution-url,omitempty"`
	Summary     string `json:"external-execution-summary,omitempty"`
	ExternalID  string `json:"external-execution-id,omitempty"`
	ErrorCode   string `json:"error-code,omitempty"`
}

type approvalNotes struct {
	Token           string `json:"token"`
	NotificationARN string `json:"notification-arn,omitempty"`
	CustomData      string `json:"custom-data,omitempty"`
	ExternalLink    string `json:"external-entity-link,omitempty"`
	Expires         string `json:"expires"`
}

func (s Scope) detail(ev *sluice.Event) *detail {
	d := &detail{Pipeline: ev.PipelineName, ExecutionID: ev.ExecutionID, Stage: ev.Stage, Action: ev.Action,
		ActionExecutionID: ev.ActionRunID, State: ev.State, StopComments: ev.StopComment,
		Version: decimal(ev.Version), Attempt: decimal(max(ev.Attempt, 1))}
	if !ev.StartTime.IsZero() {
		d.StartTime = ev.StartTime.UTC().Format("2006-01-02T15:04:05.000Z")
	}
	if ev.Trigger != nil {
		d.ExecutionTrigger = &trigger{Type: ev.Trigger.Type, Detail: ev.Trigger.Detail}
	}
	if t := ev.ActionType; t != nil {
		d.Type = &actionType{Owner: t.Owner, Provider: t.Provider, Category: t.Category, Version: t.Version}
		d.Region = ev.ActionRegion
		if d.Region == "" {
			d.Region = s.Region
		}
	}
	d.InputArtifacts = s.artifacts(ev.InputArtifacts)
	d.OutputArtifacts = s.artifacts(ev.OutputArtifacts)
	if r := ev.Result; r != nil {
		d.ExecutionResult = &result{ExternalURL: r.ExternalURL, Summary: r.Summary, ExternalID: r.ExternalID, ErrorCode: r.ErrorCode}
	}
	if a := ev.Approval; a != nil {
		d.Approval = &approvalNotes{Token: a.Token, NotificationARN: a.NotificationARN, CustomData: a.CustomData,
			ExternalLink: a.ExternalLink, Expires: a.Expires.UTC().Format(time.RFC3339)}
	}
	return d
}

func (s Scope) artifacts(refs []sluice.ArtifactRef) []artifact {
	var out []artifact
	for _, r := range refs {
		loc := s3Location{Bucket: s.Bucket, Key: r.Key}
		if s.Locate != nil {
			loc.Bucket, loc.Key = s.Locate(r.Key)
		}
		out = append(out, artifact{Name: r.Name, S3Location: loc})
	}
	return out
}

// decimal writes n as CodePipeline's events do: a JSON number with a fraction ("3.0").
func decimal(n int) json.Number { return json.Number(strconv.Itoa(n) + ".0") }
