package api

import (
	"encoding/json"

	"sluice"
	"sluice/validate"
)

// pipelineOut is a pipeline declaration as GetPipeline, CreatePipeline and UpdatePipeline
// write it: every action carries inputArtifacts, outputArtifacts and configuration, empty
// when it has none, as AWS returns them (the AWS CLI's get-pipeline and update-pipeline
// examples); members Sluice leaves absent stay absent, never null.
type pipelineOut struct {
	sluice.PipelineDeclaration
	Stages []stageOut `json:"stages"`
}

type stageOut struct {
	sluice.StageDeclaration
	Actions []actionOut `json:"actions"`
}

// actionOut's members shadow the embedded declaration's, which omit them when empty.
type actionOut struct {
	sluice.ActionDeclaration
	Configuration   map[string]string       `json:"configuration"`
	OutputArtifacts []sluice.OutputArtifact `json:"outputArtifacts"`
	InputArtifacts  []sluice.InputArtifact  `json:"inputArtifacts"`
}

// wireDeclaration is d as the wire writes it.
func wireDeclaration(d sluice.PipelineDeclaration) pipelineOut {
	out := pipelineOut{PipelineDeclaration: d, Stages: make([]stageOut, 0, len(d.Stages))}
	for _, s := range d.Stages {
		so := stageOut{StageDeclaration: s, Actions: make([]actionOut, 0, len(s.Actions))}
		for _, a := range s.Actions {
			so.Actions = append(so.Actions, actionOut{ActionDeclaration: a,
				Configuration:   nonNilMap(a.Configuration),
				OutputArtifacts: nonNil(a.OutputArtifacts),
				InputArtifacts:  nonNil(a.InputArtifacts)})
		}
		out.Stages = append(out.Stages, so)
	}
	return out
}

// nonNilMap is m, or an empty map where m is nil, written {} rather than null.
func nonNilMap(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

// declarationCall decodes a request with a pipeline member into in (whose field *d is that
// member) and refuses a missing pipeline, and members sent with a zero value the model
// forbids ("runOrder": 0 among them), which the decoded declaration cannot tell from absent
// ones: the model's ValidationException naming each (validate.Declaration).
func declarationCall(c *call, in any, d **sluice.PipelineDeclaration) error {
	if err := decode(c.body, in); err != nil {
		return err
	}
	if *d == nil {
		return missing("pipeline")
	}
	var raw struct {
		Pipeline json.RawMessage `json:"pipeline"`
	}
	_ = json.Unmarshal(c.body, &raw) // it decoded above
	if err := validate.Declaration(raw.Pipeline, *d); err != nil {
		return err
	}
	return nil
}
