package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"

	"sluice/pipelinedoc"

	"sluice"
)

// pipelineFile is the wrapped form of a pipeline file: what `aws codepipeline get-pipeline`
// prints, or what create-pipeline's --cli-input-json takes.
type pipelineFile struct {
	Pipeline *sluice.PipelineDeclaration `json:"pipeline"`
	Metadata json.RawMessage             `json:"metadata,omitempty"` // get-pipeline's; ignored
	Tags     json.RawMessage             `json:"tags,omitempty"`     // create-pipeline's; ignored
}

// loadDeclaration reads a pipeline file: JSON or YAML with CodePipeline's field names, either
// wrapped ({"pipeline": {...}}, as get-pipeline prints it) or the declaration alone. An
// unknown field is an error, as the AWS CLI makes it, so a misspelt field is not silently
// dropped. In YAML, a number or boolean where the declaration holds a string (`version: 1`,
// `PollForSourceChanges: false`) is taken as its text.
func loadDeclaration(path string) (*sluice.PipelineDeclaration, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	d, err := parseDeclaration(raw)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return d, nil
}

func parseDeclaration(raw []byte) (*sluice.PipelineDeclaration, error) {
	body := bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf"))
	text := bytes.TrimSpace(body)
	if len(text) == 0 {
		return nil, errors.New("the file is empty; it should hold a pipeline declaration")
	}
	if text[0] == '{' {
		d, err := decodeDeclaration(body)
		return d, jsonError(err, body) // body, so that line numbers count from the file's start
	}
	js, object, err := pipelinedoc.FromYAML(text, fileTarget)
	if err != nil {
		return nil, fmt.Errorf("not valid JSON or YAML: %w", err)
	}
	if !object {
		return nil, errNotDeclaration
	}
	d, err := decodeDeclaration(js)
	return d, jsonError(err, nil)
}

// decodeDeclaration decodes the JSON of either form, refusing unknown fields.
func decodeDeclaration(js []byte) (*sluice.PipelineDeclaration, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(js, &top); err != nil {
		var typ *json.UnmarshalTypeError
		if errors.As(err, &typ) {
			return nil, errNotDeclaration
		}
		return nil, err
	}
	if !hasPipelineKey(top) {
		var d sluice.PipelineDeclaration
		return &d, pipelinedoc.Strict(js, &d)
	}
	var f pipelineFile
	if err := pipelinedoc.Strict(js, &f); err != nil {
		return nil, err
	}
	if f.Pipeline == nil {
		return nil, errors.New("pipeline is null; it should hold the pipeline declaration")
	}
	return f.Pipeline, nil
}

var errNotDeclaration = errors.New("the file should hold a pipeline declaration: an object with name, roleArn, artifactStore and stages")

// hasPipelineKey reports whether a file's top-level object is the wrapped form.
func hasPipelineKey[V any](top map[string]V) bool {
	for k := range top {
		if strings.EqualFold(k, "pipeline") {
			return true
		}
	}
	return false
}

// jsonError rewrites a decoding error for a person: the field path and, when src is the
// file's own JSON text, the line.
func jsonError(err error, src []byte) error {
	var (
		syn *json.SyntaxError
		typ *json.UnmarshalTypeError
	)
	at := func(offset int64) string {
		if src == nil {
			return ""
		}
		return fmt.Sprintf("line %d: ", 1+bytes.Count(src[:min(int(offset), len(src))], []byte("\n")))
	}
	switch {
	case err == nil:
		return nil
	case errors.As(err, &syn):
		return fmt.Errorf("%snot valid JSON: %s", at(syn.Offset), syn.Error())
	case errors.As(err, &typ) && typ.Field != "":
		return fmt.Errorf("%s%s must be %s, not a JSON %s", at(typ.Offset), typ.Field, pipelinedoc.KindName(typ.Type), typ.Value)
	}
	if msg, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return fmt.Errorf("unknown field %s (fields are named as in CodePipeline's API: name, roleArn, stages, actions, actionTypeId, ...)", msg)
	}
	return err
}

// fileTarget is the type a file decodes into: wrapped when it has a pipeline member.
func fileTarget(top map[string]any) reflect.Type {
	if hasPipelineKey(top) {
		return reflect.TypeFor[pipelineFile]()
	}
	return reflect.TypeFor[sluice.PipelineDeclaration]()
}
