package service

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"sluice"
)

// jsonPath is a parsed JSON path as targets' InputPath and InputPathsMap take it: $, then
// .name, ['name'], [n], [*] or .* steps.
type jsonPath []string // "*" is any element or member; "#n" is index n

var pathName = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9_@:$\-]+`) })

func parseJSONPath(p string) (jsonPath, bool) {
	if !strings.HasPrefix(p, "$") {
		return nil, false
	}
	rest, out := p[1:], jsonPath{}
	for rest != "" {
		switch {
		case strings.HasPrefix(rest, ".*"):
			out, rest = append(out, "*"), rest[2:]
		case strings.HasPrefix(rest, "[*]"):
			out, rest = append(out, "*"), rest[3:]
		case rest[0] == '.':
			name := pathName().FindString(rest[1:])
			if name == "" {
				return nil, false
			}
			out, rest = append(out, name), rest[1+len(name):]
		case strings.HasPrefix(rest, "['"):
			end := strings.Index(rest, "']")
			if end < 2 {
				return nil, false
			}
			out, rest = append(out, rest[2:end]), rest[end+2:]
		case rest[0] == '[':
			end := strings.IndexByte(rest, ']')
			n, err := strconv.Atoi(rest[1:max(end, 1)])
			if end < 0 || err != nil || n < 0 {
				return nil, false
			}
			out, rest = append(out, "#"+strconv.Itoa(n)), rest[end+1:]
		default:
			return nil, false
		}
	}
	return out, true
}

// get selects the path's value in v; a path with * collects every match in a list.
func (p jsonPath) get(v any) (any, bool) {
	for i, step := range p {
		switch {
		case step == "*":
			var all []any
			for _, e := range children(v) {
				if got, ok := p[i+1:].get(e); ok {
					all = append(all, got)
				}
			}
			return all, len(all) > 0
		case strings.HasPrefix(step, "#"):
			arr, ok := v.([]any)
			n, _ := strconv.Atoi(step[1:])
			if !ok || n >= len(arr) {
				return nil, false
			}
			v = arr[n]
		default:
			m, ok := v.(map[string]any)
			if !ok {
				return nil, false
			}
			if v, ok = m[step]; !ok {
				return nil, false
			}
		}
	}
	return v, true
}

func children(v any) []any {
	switch v := v.(type) {
	case []any:
		return v
	case map[string]any:
		out := make([]any, 0, len(v))
		for _, e := range v {
			out = append(out, e)
		}
		return out
	}
	return nil
}

// checkTransformer validates an InputTransformer as PutTargets does.
func checkTransformer(t *sluice.InputTransformer) error {
	if len(t.PathsMap) > 100 {
		return eventErr("InputTransformer.InputPathsMap can have at most 100 entries.")
	}
	for k, p := range t.PathsMap {
		if strings.HasPrefix(k, "aws.") {
			return eventErr("InputTransformer.InputPathsMap key %s is reserved.", k)
		}
		if _, ok := parseJSONPath(p); !ok {
			return eventErr("InputTransformer.InputPathsMap value %s is not a valid JSON path.", p)
		}
	}
	if t.Template == "" {
		return eventErr("InputTransformer.InputTemplate must be specified.")
	}
	return nil
}

// eventInput is what a target receives for an event: the event, Input, the part InputPath
// selects, or InputTransformer's template filled in (§2.4).
func eventInput(event []byte, value map[string]any, rule *sluice.EventRule, t *sluice.EventTarget, now time.Time) string {
	switch {
	case t.Input != "":
		return t.Input
	case t.InputPath != "":
		p, _ := parseJSONPath(t.InputPath)
		v, ok := p.get(value)
		if !ok {
			return "null"
		}
		return string(mustJSON(v))
	case t.InputTransformer != nil:
		return transform(event, value, rule, t.InputTransformer, now)
	}
	return string(event)
}

var placeholder = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`<([A-Za-z0-9_.\-]+)>`) })

// transform fills the template's placeholders. In a JSON template a string inside quotes
// goes in as text and anything else as JSON; a value that is not there is "" inside quotes
// and null outside. A template that is not JSON takes every value as text.
func transform(event []byte, value map[string]any, rule *sluice.EventRule, tr *sluice.InputTransformer, now time.Time) string {
	vals := map[string]any{"aws.events.rule-arn": rule.ARN, "aws.events.rule-name": rule.Name,
		"aws.events.event.ingestion-time": now.UTC().Format(time.RFC3339), "aws.events.event.json": value}
	noDetail := map[string]any{}
	for k, v := range value {
		if k != "detail" {
			noDetail[k] = v
		}
	}
	vals["aws.events.event"] = noDetail
	for k, p := range tr.PathsMap {
		jp, _ := parseJSONPath(p)
		if v, ok := jp.get(value); ok {
			vals[k] = v
		} else {
			vals[k] = missing{}
		}
	}
	trimmed := strings.TrimSpace(tr.Template)
	jsonMode := strings.HasPrefix(trimmed, "{") || strings.HasPrefix(trimmed, "[") || strings.HasPrefix(trimmed, "\"")
	var b strings.Builder
	inString, last := false, 0
	for _, m := range placeholder().FindAllStringSubmatchIndex(tr.Template, -1) {
		inString = quoteState(tr.Template[last:m[0]], inString)
		b.WriteString(tr.Template[last:m[0]])
		last = m[1]
		v, ok := vals[tr.Template[m[2]:m[3]]]
		if !ok {
			b.WriteString(tr.Template[m[0]:m[1]])
			continue
		}
		b.WriteString(substitute(v, jsonMode, inString))
	}
	b.WriteString(tr.Template[last:])
	return b.String()
}

type missing struct{}

func substitute(v any, jsonMode, inString bool) string {
	if _, ok := v.(missing); ok {
		if jsonMode && !inString {
			return "null"
		}
		return ""
	}
	s, isString := v.(string)
	switch {
	case isString && (!jsonMode || inString):
		if inString {
			q := string(mustJSON(s))
			return q[1 : len(q)-1]
		}
		return s
	case !jsonMode || !inString:
		return string(mustJSON(v))
	}
	q := string(mustJSON(string(mustJSON(v)))) // JSON inside a string: escaped
	return q[1 : len(q)-1]
}

// quoteState is whether a JSON text is inside a string after text, starting in or out.
func quoteState(text string, in bool) bool {
	for i := 0; i < len(text); i++ {
		switch {
		case in && text[i] == '\\':
			i++
		case text[i] == '"':
			in = !in
		}
	}
	return in
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		return []byte("null") // decoded JSON values always encode
	}
	return b
}
