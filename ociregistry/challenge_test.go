package ociregistry

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseChallenge(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, in, scheme string
		params           map[string]string
	}{
		{"Bearer", `Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:a/b:pull"`,
			"Bearer", map[string]string{"realm": "https://auth.example.com/token", "service": "registry.example.com", "scope": "repository:a/b:pull"}},
		{"CommaInQuotes", `Bearer realm="https://a/t",scope="repository:a:pull,push"`,
			"Bearer", map[string]string{"realm": "https://a/t", "scope": "repository:a:pull,push"}},
		{"BasicUnquotedAndSpaces", `Basic realm=registry , charset="UTF-8"`,
			"Basic", map[string]string{"realm": "registry", "charset": "UTF-8"}},
		{"EscapedQuote", `Bearer realm="a\"b"`, "Bearer", map[string]string{"realm": `a"b`}},
		{"NoParams", `Basic`, "Basic", map[string]string{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			scheme, params := parseChallenge(c.in)
			require.Equal(t, c.scheme, scheme)
			require.Equal(t, c.params, params)
		})
	}
}
