package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"

	"sigs.k8s.io/yaml"

	"sluice"
)

// loadDeclaration reads a pipeline file: JSON or YAML with CodePipeline's field names, either
// as `aws codepipeline get-pipeline` prints it ({"pipeline": {...}}) or the declaration alone.
func loadDeclaration(path string) (*sluice.PipelineDeclaration, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	js := raw
	if t := bytes.TrimSpace(raw); len(t) == 0 || t[0] != '{' {
		if js, err = yaml.YAMLToJSON(raw); err != nil {
			return nil, fmt.Errorf("%s: not valid JSON or YAML: %w", path, err)
		}
	}
	var wrapped struct {
		Pipeline *sluice.PipelineDeclaration `json:"pipeline"`
	}
	if err := json.Unmarshal(js, &wrapped); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if wrapped.Pipeline != nil {
		return wrapped.Pipeline, nil
	}
	var d sluice.PipelineDeclaration
	if err := json.Unmarshal(js, &d); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &d, nil
}
