// Package eventpattern compiles EventBridge event patterns and matches events against them
// (exact values, prefix, suffix, equals-ignore-case, wildcard, anything-but, numeric, cidr,
// exists and $or). It is pure: a pattern is validated once, when a rule is put, and matched
// against decoded events (objects, arrays, strings, json.Number, booleans and nil).
package eventpattern

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// MaxLength is the longest pattern EventBridge takes (the model's EventPattern).
const MaxLength = 4096

// Error is an invalid pattern: its Message is InvalidEventPatternException's.
type Error struct{ Reason string }

func (e *Error) Error() string { return "Event pattern is not valid. Reason: " + e.Reason }

func invalid(format string, args ...any) error { return &Error{Reason: fmt.Sprintf(format, args...)} }

// Pattern is a compiled event pattern.
type Pattern struct{ root *object }

// object is one level of the pattern: every field must match, and each $or group must have
// one sub-object that matches the same value.
type object struct {
	fields []field
	ors    [][]*object
}

// field is a name with either a nested object or the leaf's matchers (any may match).
type field struct {
	name string
	obj  *object
	leaf []matcher
}

// Compile parses and validates text.
func Compile(text string) (*Pattern, error) {
	if len(text) > MaxLength {
		return nil, invalid("Event pattern exceeds the maximum length of %d characters", MaxLength)
	}
	d := json.NewDecoder(bytes.NewReader([]byte(text)))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, invalid("Filter is not valid JSON: %v", err)
	}
	if d.More() {
		return nil, invalid("Filter is not valid JSON: text after the pattern")
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, invalid("Filter is not an object")
	}
	root, err := compileObject(m, "")
	if err != nil {
		return nil, err
	}
	return &Pattern{root: root}, nil
}

func compileObject(m map[string]any, path string) (*object, error) {
	if len(m) == 0 {
		return nil, invalid("Empty objects are not allowed (at %q)", path)
	}
	o := &object{}
	for name, v := range m {
		if name == "$or" {
			if subs, ok := orGroup(v); ok {
				group, err := compileOr(subs, path)
				if err != nil {
					return nil, err
				}
				o.ors = append(o.ors, group)
				continue
			}
		}
		f, err := compileField(name, v, join(path, name))
		if err != nil {
			return nil, err
		}
		o.fields = append(o.fields, f)
	}
	return o, nil
}

// orGroup reports whether v has $or's shape: an array of two or more objects.
func orGroup(v any) ([]any, bool) {
	arr, ok := v.([]any)
	if !ok || len(arr) < 2 {
		return nil, false
	}
	for _, e := range arr {
		if _, ok := e.(map[string]any); !ok {
			return nil, false
		}
	}
	return arr, true
}

func compileOr(subs []any, path string) ([]*object, error) {
	var group []*object
	for _, s := range subs {
		o, err := compileObject(s.(map[string]any), path)
		if err != nil {
			return nil, err
		}
		group = append(group, o)
	}
	return group, nil
}

func compileField(name string, v any, path string) (field, error) {
	switch v := v.(type) {
	case map[string]any:
		o, err := compileObject(v, path)
		return field{name: name, obj: o}, err
	case []any:
		if len(v) == 0 {
			return field{}, invalid("Empty arrays are not allowed (at %q)", path)
		}
		f := field{name: name}
		for _, e := range v {
			m, err := compileMatcher(e, path)
			if err != nil {
				return field{}, err
			}
			f.leaf = append(f.leaf, m)
		}
		return f, nil
	default:
		return field{}, invalid("Match value must be String, number, true, false, or null (at %q: a leaf must be an array)", path)
	}
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}
