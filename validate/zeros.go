package validate

import (
	"bytes"
	"encoding/json"
	"reflect"

	"sluice"
)

// Declaration checks every model constraint of d, the pipeline member of a request, as
// Pipeline's first step does, and also those of the members raw (the same member as the
// request sent it) holds with a zero value: "runOrder": 0, "namespace": "", "commands": [].
// Decoded, those look absent; the service refuses them as the model does (SEMANTICS §1.2),
// naming each. Run it before the declaration is handed on; nil when nothing is broken.
func Declaration(raw json.RawMessage, d *sluice.PipelineDeclaration) *sluice.Error {
	if d == nil {
		return nil
	}
	s := Violations{zeros: ZeroMembers("pipeline", raw)}
	s.structure("pipeline", reflect.ValueOf(d).Elem(), "PipelineDeclaration")
	return s.Err()
}

// ZeroMembers lists the paths, in the model's message syntax ("pipeline.stages.1.member.
// actions.2.member.runOrder"; a map's entries as "<map>.<key>"), of the members of raw whose
// value is 0, "" or [], the values a Go struct cannot tell from absent. raw that is not JSON
// has none.
func ZeroMembers(path string, raw json.RawMessage) map[string]bool {
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if dec.Decode(&v) != nil {
		return nil
	}
	zeros := map[string]bool{}
	collectZeros(path, v, zeros)
	return zeros
}

func collectZeros(path string, v any, zeros map[string]bool) {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			collectZeros(path+"."+k, e, zeros)
		}
	case []any:
		if len(v) == 0 {
			zeros[path] = true
		}
		for i, e := range v {
			collectZeros(member(path, i), e, zeros)
		}
	case string:
		if v == "" {
			zeros[path] = true
		}
	case json.Number:
		if f, err := v.Float64(); err == nil && f == 0 {
			zeros[path] = true
		}
	}
}
