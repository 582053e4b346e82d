package filter_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/hostevent/hosteventtest"
	"sluice/trigger/filter"
)

func TestJSONPathMalformed(t *testing.T) {
	t.Parallel()
	for _, path := range []string{"", "ref", "$ref", "$.", "$..ref", "$.a..b", "$[", "$[0", "$['ref'", "$['ref]", "$[ref]",
		"$['a'x]", "$[1:2]", "$[?(@.a)]", "$.a b", "$.commits[0", "@.ref"} {
		t.Run(path, func(t *testing.T) {
			t.Parallel()
			_, err := filter.CompileJSONPath(path)
			require.Error(t, err)
		})
	}
}

// TestJSONPathCorpus selects from real GitHub deliveries.
func TestJSONPathCorpus(t *testing.T) {
	t.Parallel()
	push := hosteventtest.Get(t, "github-push-branch-commits").Body
	pr := hosteventtest.Get(t, "github-pull_request-opened").Body
	tests := []struct {
		name  string
		body  []byte
		rules []sluice.WebhookFilter
		cfg   map[string]string
		fails string // "" when every rule matches, else the start of the reason
	}{
		{"Ref", push, rules("$.ref", "refs/heads/master"), nil, ""},
		{"RefPlaceholder", push, rules("$.ref", "refs/heads/{Branch}"), map[string]string{"Branch": "master"}, ""},
		{"RefOtherBranch", push, rules("$.ref", "refs/heads/{Branch}"), map[string]string{"Branch": "main"}, `filter 1: $.ref is "refs/heads/master", not "refs/heads/main"`},
		{"UnknownPlaceholderStays", push, rules("$.ref", "refs/heads/{Nope}"), nil, `filter 1: $.ref is "refs/heads/master", not "refs/heads/{Nope}"`},
		{"Nested", push, rules("$.repository.full_name", "binkkatal/sample_app"), nil, ""},
		{"BracketQuoted", push, rules(`$['repository']["full_name"]`, "binkkatal/sample_app"), nil, ""},
		{"Index", push, rules("$.commits[0].id", "fd489864e7642b48eaad6e3f155c10e46810ec72"), nil, ""},
		{"IndexFromEnd", push, rules("$.commits[-1].id", "fd489864e7642b48eaad6e3f155c10e46810ec72"), nil, ""},
		{"IndexOutOfRange", push, rules("$.commits[5].id", "x"), nil, "filter 1: $.commits[5].id selects nothing"},
		{"Wildcard", push, rules("$.commits[*].id", "fd489864e7642b48eaad6e3f155c10e46810ec72"), nil, ""},
		{"DotWildcard", push, rules("$.head_commit.author.*", "binkkatal"), nil, ""},
		{"Number", push, rules("$.repository.id", "63933911"), nil, ""},
		{"Bool", push, rules("$.forced", "false"), nil, ""},
		{"Null", push, rules("$.base_ref", "null"), nil, ""},
		{"ObjectEqualsNoString", push, rules("$.repository", "x"), nil, "filter 1: $.repository is an object or array"},
		{"PresenceOnly", push, []sluice.WebhookFilter{{JSONPath: "$.head_commit.id"}}, nil, ""},
		{"PresenceMissing", pr, []sluice.WebhookFilter{{JSONPath: "$.head_commit.id"}}, nil, "filter 1: $.head_commit.id selects nothing"},
		{"AllMustMatch", pr, append(rules("$.action", "opened"), rules("$.pull_request.base.ref", "{Branch}")...),
			map[string]string{"Branch": "main"}, `filter 2: $.pull_request.base.ref is "master", not "main"`},
		{"PullRequest", pr, append(rules("$.action", "opened"), rules("$.pull_request.base.ref", "{Branch}")...),
			map[string]string{"Branch": "master"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w, err := filter.CompileWebhookRules(tt.rules)
			require.NoError(t, err)
			reason, err := w.Match(tt.body, tt.cfg)
			require.NoError(t, err)
			if tt.fails == "" {
				require.Empty(t, reason)
				return
			}
			require.Contains(t, reason, tt.fails)
		})
	}
}

func TestWebhookRulesRefuse(t *testing.T) {
	t.Parallel()
	t.Run("ErrBadPath", func(t *testing.T) {
		t.Parallel()
		_, err := filter.CompileWebhookRules([]sluice.WebhookFilter{{JSONPath: "$.ref"}, {JSONPath: "$..x"}})
		require.ErrorContains(t, err, "filter 2")
	})
	t.Run("ErrBodyNotJSON", func(t *testing.T) {
		t.Parallel()
		w, err := filter.CompileWebhookRules(rules("$.ref", "x"))
		require.NoError(t, err)
		_, err = w.Match([]byte("payload=%7B%7D"), nil)
		require.ErrorContains(t, err, "not JSON")
	})
}

func rules(path, equals string) []sluice.WebhookFilter {
	return []sluice.WebhookFilter{{JSONPath: path, MatchEquals: equals}}
}
