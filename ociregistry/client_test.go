package ociregistry_test

import (
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice/ociregistry"
)

func TestParse(t *testing.T) {
	t.Parallel()
	def, err := url.Parse("http://127.0.0.1:5000")
	require.NoError(t, err)
	withDefault := &ociregistry.Client{Default: def}
	cases := []struct {
		name, in, base, repo string
		client               *ociregistry.Client
	}{
		{"PathInDefault", "team/app", "http://127.0.0.1:5000", "team/app", withDefault},
		{"OneElementInDefault", "app", "http://127.0.0.1:5000", "app", withDefault},
		{"DefaultHostKeepsItsScheme", "127.0.0.1:5000/app", "http://127.0.0.1:5000", "app", withDefault},
		{"DomainIsHTTPS", "registry.example.com/team/app", "https://registry.example.com", "team/app", withDefault},
		{"LoopbackIsHTTP", "127.0.0.1:6000/app", "http://127.0.0.1:6000", "app", &ociregistry.Client{}},
		{"LocalhostIsHTTP", "localhost/app", "http://localhost", "app", &ociregistry.Client{}},
		{"IPv6LoopbackIsHTTP", "[::1]:5000/app", "http://[::1]:5000", "app", &ociregistry.Client{}},
		{"ExplicitScheme", "https://127.0.0.1:5000/a/b", "https://127.0.0.1:5000", "a/b", withDefault},
		{"SeparatorsInName", "a.b/c__d-e/f.g", "https://a.b", "c__d-e/f.g", withDefault},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			r, err := c.client.Parse(c.in)
			require.NoError(t, err)
			require.Equal(t, c.base, r.Base.String())
			require.Equal(t, c.repo, r.Name)
		})
	}
	bad := []struct{ name, in string }{
		{"ErrUpperCase", "Team/App"},
		{"ErrHostOnly", "http://127.0.0.1:5000"},
		{"ErrDotDot", "team/../app"},
		{"ErrEmptyElement", "team//app"},
		{"ErrQuery", "app?x=1"},
	}
	for _, c := range bad {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			_, err := withDefault.Parse(c.in)
			require.ErrorIs(t, err, ociregistry.ErrInvalid)
		})
	}
	t.Run("ErrNoDefault", func(t *testing.T) {
		t.Parallel()
		_, err := (&ociregistry.Client{}).Parse("team/app")
		require.ErrorIs(t, err, ociregistry.ErrInvalid)
		require.ErrorContains(t, err, "--registry")
	})
}

func TestValidReferences(t *testing.T) {
	t.Parallel()
	require.True(t, ociregistry.ValidTag("latest"))
	require.True(t, ociregistry.ValidTag("v1.2.3_rc-1"))
	require.False(t, ociregistry.ValidTag(".hidden"))
	require.False(t, ociregistry.ValidTag("a/b"))
	require.True(t, ociregistry.ValidDigest("sha256:"+sixtyFourHex))
	require.False(t, ociregistry.ValidDigest("sha256:"+sixtyFourHex[:63]))
	require.False(t, ociregistry.ValidDigest("sha512:"+sixtyFourHex))
}

const sixtyFourHex = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
