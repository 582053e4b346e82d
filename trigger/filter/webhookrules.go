package filter

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"

	"sluice"
)

// WebhookRules is a V1 webhook's compiled filters (SEMANTICS §8.3): every rule must match.
type WebhookRules struct {
	rules []webhookRule
}

type webhookRule struct {
	path        *JSONPath
	matchEquals string
	hasMatch    bool
}

// CompileWebhookRules compiles filters; the error names the first filter whose JsonPath
// does not parse (1-based, as the API's member paths count).
func CompileWebhookRules(filters []sluice.WebhookFilter) (*WebhookRules, error) {
	out := &WebhookRules{}
	for i, f := range filters {
		p, err := CompileJSONPath(f.JSONPath)
		if err != nil {
			return nil, fmt.Errorf("filter %d: %w", i+1, err)
		}
		out.rules = append(out.rules, webhookRule{path: p, matchEquals: f.MatchEquals, hasMatch: f.MatchEquals != ""})
	}
	return out, nil
}

// placeholder is a {ConfigKey} of matchEquals.
var placeholder = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\{([A-Za-z0-9_]+)\}`) })

// expand replaces each {Key} with config[Key]; a key the configuration lacks stays as written.
func expand(s string, config map[string]string) string {
	return placeholder().ReplaceAllStringFunc(s, func(m string) string {
		if v, ok := config[m[1:len(m)-1]]; ok {
			return v
		}
		return m
	})
}

// Match evaluates the rules on a JSON body, with config (the target action's
// configuration) filling matchEquals' placeholders. It returns "" when every rule matches,
// or says which rule did not; the error is a body that is not JSON.
func (w *WebhookRules) Match(body []byte, config map[string]string) (string, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber() // numbers compare as written, not as floats
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return "", fmt.Errorf("the body is not JSON: %w", err)
	}
	for i, r := range w.rules {
		got := r.path.Select(doc)
		if len(got) == 0 {
			return fmt.Sprintf("filter %d: %s selects nothing", i+1, r.path), nil
		}
		if !r.hasMatch {
			continue
		}
		want := expand(r.matchEquals, config)
		if !anyEquals(got, want) {
			return fmt.Sprintf("filter %d: %s is %s, not %q", i+1, r.path, shown(got), want), nil
		}
	}
	return "", nil
}

// anyEquals reports whether a selected value equals want: strings as they are, numbers as
// written, booleans and null as JSON spells them. Objects and arrays equal no string.
func anyEquals(values []any, want string) bool {
	for _, v := range values {
		if s, ok := scalar(v); ok && s == want {
			return true
		}
	}
	return false
}

func scalar(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case json.Number:
		return v.String(), true
	case bool:
		if v {
			return "true", true
		}
		return "false", true
	case nil:
		return "null", true
	}
	return "", false
}

// shown describes selected values for a reason, briefly.
func shown(values []any) string {
	parts := make([]string, 0, len(values))
	for _, v := range values {
		s, ok := scalar(v)
		switch {
		case !ok:
			s = "an object or array"
		case len(s) > 80:
			s = fmt.Sprintf("%q…", s[:80])
		default:
			s = fmt.Sprintf("%q", s)
		}
		parts = append(parts, s)
		if len(parts) == 5 && len(values) > 5 {
			parts = append(parts, "…")
			break
		}
	}
	return strings.Join(parts, ", ")
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
