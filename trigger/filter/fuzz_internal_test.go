package filter

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/hostevent/hosteventtest"
)

// FuzzJSONPath: a path either fails to compile with an error naming it, or compiles to steps
// that, written back in bracket notation, compile to the same steps and select the same
// values; a path without wildcards selects at most one value.
func FuzzJSONPath(f *testing.F) {
	push := hosteventtest.Get(f, "github-push-branch-commits").Body
	for _, p := range []string{"$", "$.ref", `$['repository']["full_name"]`, "$.commits[0].id", "$.commits[-1].id",
		"$.commits[*].id", "$.head_commit.author.*", `$['a\'b']['c\\d']`, "$[ 2 ]", "$..ref", "$[1:2]", "$[?(@.a)]",
		"$.a b", "$['ref'", "$[99999999999999999999]", "$['']", ` $.x`} {
		f.Add(p, push)
		f.Add(p, []byte(`{"ref":"x","":[1,{"a'b":{"c\\d":true}}],"commits":[{"id":1},{"id":null}]}`))
	}
	f.Fuzz(func(t *testing.T, path string, body []byte) {
		p, err := CompileJSONPath(path)
		if err != nil {
			require.ErrorContains(t, err, "JsonPath")
			return
		}
		require.Equal(t, path, p.String())
		again, err := CompileJSONPath(bracketed(p))
		require.NoError(t, err, bracketed(p))
		require.Equal(t, p.steps, again.steps, bracketed(p))

		doc, ok := decodeNumbers(body)
		if !ok {
			return
		}
		got := p.Select(doc)
		require.Equal(t, got, again.Select(doc))
		if !hasWildcard(p) {
			require.LessOrEqual(t, len(got), 1)
		}
	})
}

// bracketed writes p's steps in bracket notation, names quoted with ' and escaped.
func bracketed(p *JSONPath) string {
	var b strings.Builder
	b.WriteString("$")
	for _, s := range p.steps {
		switch {
		case s.wildcard:
			b.WriteString("[*]")
		case s.isIndex:
			b.WriteString("[" + strconv.Itoa(s.index) + "]")
		default:
			name := strings.ReplaceAll(s.name, `\`, `\\`)
			b.WriteString("['" + strings.ReplaceAll(name, `'`, `\'`) + "']")
		}
	}
	return b.String()
}

func hasWildcard(p *JSONPath) bool {
	for _, s := range p.steps {
		if s.wildcard {
			return true
		}
	}
	return false
}

func decodeNumbers(body []byte) (any, bool) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var doc any
	return doc, dec.Decode(&doc) == nil
}

// FuzzWebhookRules: a V1 webhook's filters refuse only a body that is not JSON; a filter
// without matchEquals matches when its path selects something, and one whose matchEquals is
// the selected scalar matches.
func FuzzWebhookRules(f *testing.F) {
	for _, d := range hosteventtest.Load(f) {
		f.Add("$.ref", "refs/heads/{Branch}", "master", d.Body)
		f.Add("$.repository.full_name", "", "", d.Body)
	}
	f.Add("$[0]", "{A}{B}{}", "x", []byte(`[1] trailing`))
	f.Add("$", "null", "", []byte(`null`))
	f.Fuzz(func(t *testing.T, path, equals, branch string, body []byte) {
		rules, err := CompileWebhookRules([]sluice.WebhookFilter{{JSONPath: path, MatchEquals: equals}})
		if err != nil {
			require.ErrorContains(t, err, "filter 1")
			return
		}
		config := map[string]string{"Branch": branch}
		_, err = rules.Match(body, config)
		doc, ok := decodeNumbers(body)
		require.Equal(t, ok, err == nil, "%v", err)
		if !ok {
			return
		}
		selected := rules.rules[0].path.Select(doc)
		presence, _ := CompileWebhookRules([]sluice.WebhookFilter{{JSONPath: path}})
		why, err := presence.Match(body, config)
		require.NoError(t, err)
		require.Equal(t, len(selected) > 0, why == "", why)
		for _, v := range selected {
			if s, ok := scalar(v); ok && !strings.Contains(s, "{") {
				exact, _ := CompileWebhookRules([]sluice.WebhookFilter{{JSONPath: path, MatchEquals: s}})
				why, err := exact.Match(body, config)
				require.NoError(t, err)
				require.Empty(t, why)
			}
		}
	})
}
