// Package pipelinedoc reads pipeline documents as people write them: JSON or YAML, the
// declaration bare or wrapped as `aws codepipeline create-pipeline --cli-input-json` takes it
// ({"pipeline": ..., "tags": ...}). `sluice run` reads files with it and the console reads
// pasted documents; each says in its own words what is wrong and where.
package pipelinedoc

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"sigs.k8s.io/yaml"
)

// FromYAML converts YAML (JSON is YAML) to JSON, turning numbers and booleans into strings
// where the Go type they will decode into has a string (`version: 1`,
// `PollForSourceChanges: false`), as the AWS CLI reads pipeline files. target chooses that
// type from the document's top-level members (wrapped or bare). object is false when the
// document is not an object; its JSON is then returned as it is, for the decoder to refuse.
// A YAML syntax error is returned as the YAML parser wrote it ("... line N: ...").
func FromYAML(text []byte, target func(top map[string]any) reflect.Type) (js []byte, object bool, err error) {
	if js, err = yaml.YAMLToJSON(text); err != nil {
		return nil, false, err
	}
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, false, err
	}
	top, ok := v.(map[string]any)
	if !ok {
		return js, false, nil
	}
	js, err = json.Marshal(stringify(v, target(top)))
	return js, true, err
}

// Strict decodes one JSON value into v, refusing members v does not have and anything after
// the value.
func Strict(js []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("unexpected content after the pipeline declaration")
	}
	return nil
}

// KindName names what a Go type takes, for an error about a value of the wrong type.
func KindName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Int, reflect.Int32, reflect.Int64:
		return "a whole number"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice:
		return "a list"
	case reflect.Map, reflect.Struct:
		return "an object"
	}
	return "a " + t.String()
}

// stringify walks v alongside the Go type t it will decode into and replaces each number
// or boolean that lands in a string with its text.
func stringify(v any, t reflect.Type) any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if ft := memberType(t, k); ft != nil {
				x[k] = stringify(e, ft)
			}
		}
	case []any:
		if t.Kind() == reflect.Slice && t.Elem().Kind() != reflect.Uint8 {
			for i := range x {
				x[i] = stringify(x[i], t.Elem())
			}
		}
	case json.Number, bool:
		if t.Kind() == reflect.String {
			return fmt.Sprint(x)
		}
	}
	return v
}

// memberType is the type of key's value in a map or struct type (JSON names matched as
// encoding/json matches them, ignoring case), or nil.
func memberType(t reflect.Type, key string) reflect.Type {
	switch t.Kind() {
	case reflect.Map:
		return t.Elem()
	case reflect.Struct:
		for i := range t.NumField() {
			f := t.Field(i)
			if name, _, _ := strings.Cut(f.Tag.Get("json"), ","); strings.EqualFold(name, key) {
				return f.Type
			}
		}
	}
	return nil
}
