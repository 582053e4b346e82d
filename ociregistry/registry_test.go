package ociregistry_test

import (
	"encoding/json"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice/ociregistry"
	"sluice/ociregistry/registrytest"
)

// These tests run against Docker Distribution (Debian's docker-registry), a real registry.

var created = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// client returns a client whose default registry is reg, with the registry user's
// credentials when withCreds.
func client(t *testing.T, reg *registrytest.Registry, withCreds bool) *ociregistry.Client {
	t.Helper()
	u, err := url.Parse(reg.URL)
	require.NoError(t, err)
	c := &ociregistry.Client{Default: u}
	if withCreds {
		c.Username, c.Password = registrytest.Username, registrytest.Password
	}
	return c
}

func TestAnonymous(t *testing.T) {
	t.Parallel()
	reg := registrytest.Start(t, registrytest.Anonymous)
	img := reg.PushImage(t, "team/app", "latest", []byte("layer one"), created)
	c := client(t, reg, false)
	repo, err := c.Parse("team/app")
	require.NoError(t, err)

	t.Run("ResolveTag", func(t *testing.T) {
		t.Parallel()
		d, err := c.Resolve(t.Context(), repo, "latest")
		require.NoError(t, err)
		require.Equal(t, img.Digest, d.Digest)
		require.Equal(t, ociregistry.MediaTypeOCIManifest, d.MediaType)
	})
	t.Run("ManifestByDigest", func(t *testing.T) {
		t.Parallel()
		d, body, err := c.Manifest(t.Context(), repo, img.Digest)
		require.NoError(t, err)
		require.Equal(t, img.Digest, d.Digest)
		var m ociregistry.Manifest
		require.NoError(t, json.Unmarshal(body, &m))
		require.False(t, m.IsIndex())
		require.Len(t, m.Layers, 1)
		require.Equal(t, img.LayerSize, m.Layers[0].Size)
		cfg, err := c.Blob(t.Context(), repo, m.Config.Digest, 1<<20)
		require.NoError(t, err)
		require.Contains(t, string(cfg), `"created":"2026-03-01T12:00:00Z"`)
	})
	t.Run("Index", func(t *testing.T) {
		t.Parallel()
		other := reg.PushImage(t, "team/app", "other", []byte("layer two, longer"), created)
		idx := reg.PushIndex(t, "team/app", "multi", img, other)
		d, body, err := c.Manifest(t.Context(), repo, "multi")
		require.NoError(t, err)
		require.Equal(t, idx, d.Digest)
		var m ociregistry.Manifest
		require.NoError(t, json.Unmarshal(body, &m))
		require.True(t, m.IsIndex())
		require.Len(t, m.Manifests, 2)
	})
	t.Run("FullReference", func(t *testing.T) {
		t.Parallel()
		r, err := (&ociregistry.Client{}).Parse(reg.Host + "/team/app")
		require.NoError(t, err)
		d, err := (&ociregistry.Client{}).Resolve(t.Context(), r, "latest")
		require.NoError(t, err)
		require.Equal(t, img.Digest, d.Digest)
	})
	t.Run("ErrUnknownTag", func(t *testing.T) {
		t.Parallel()
		_, err := c.Resolve(t.Context(), repo, "nope")
		require.ErrorIs(t, err, ociregistry.ErrNotFound)
		_, _, err = c.Manifest(t.Context(), repo, "nope")
		require.ErrorIs(t, err, ociregistry.ErrNotFound)
		require.ErrorContains(t, err, "MANIFEST_UNKNOWN")
	})
	t.Run("ErrUnknownRepository", func(t *testing.T) {
		t.Parallel()
		r, err := c.Parse("no/such")
		require.NoError(t, err)
		_, err = c.Resolve(t.Context(), r, "latest")
		require.ErrorIs(t, err, ociregistry.ErrNotFound)
	})
	t.Run("ErrUnknownDigest", func(t *testing.T) {
		t.Parallel()
		_, _, err := c.Manifest(t.Context(), repo, "sha256:"+sixtyFourHex)
		require.ErrorIs(t, err, ociregistry.ErrNotFound)
	})
	t.Run("ErrBadReference", func(t *testing.T) {
		t.Parallel()
		_, err := c.Resolve(t.Context(), repo, "../../x")
		require.ErrorIs(t, err, ociregistry.ErrInvalid)
	})
}

func TestBasicAuth(t *testing.T) {
	t.Parallel()
	reg := registrytest.Start(t, registrytest.Basic)
	img := reg.PushImage(t, "app", "v1", []byte("basic"), created)

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		c := client(t, reg, true)
		repo, err := c.Parse("app")
		require.NoError(t, err)
		d, err := c.Resolve(t.Context(), repo, "v1")
		require.NoError(t, err)
		require.Equal(t, img.Digest, d.Digest)
	})
	t.Run("ErrNoCredentials", func(t *testing.T) {
		t.Parallel()
		c := client(t, reg, false)
		repo, err := c.Parse("app")
		require.NoError(t, err)
		_, err = c.Resolve(t.Context(), repo, "v1")
		require.ErrorIs(t, err, ociregistry.ErrUnauthorized)
		require.ErrorContains(t, err, "--registry-username")
	})
	t.Run("ErrWrongPassword", func(t *testing.T) {
		t.Parallel()
		c := client(t, reg, true)
		c.Password = "wrong"
		repo, err := c.Parse("app")
		require.NoError(t, err)
		_, err = c.Resolve(t.Context(), repo, "v1")
		require.ErrorIs(t, err, ociregistry.ErrUnauthorized)
	})
	t.Run("CredentialsStayWithTheirRegistry", func(t *testing.T) {
		t.Parallel()
		other, err := url.Parse("http://127.0.0.1:1")
		require.NoError(t, err)
		c := &ociregistry.Client{Default: other, Username: registrytest.Username, Password: registrytest.Password}
		repo, err := c.Parse(reg.Host + "/app")
		require.NoError(t, err)
		_, err = c.Resolve(t.Context(), repo, "v1")
		require.ErrorIs(t, err, ociregistry.ErrUnauthorized)
		require.ErrorContains(t, err, "only to the --registry host")
	})
	t.Run("CredentialsStayWithTheirScheme", func(t *testing.T) {
		t.Parallel()
		// The default registry is https: a reference that asks for http on the same host
		// gets no credentials, which would travel in clear.
		secure, err := url.Parse("https://" + reg.Host)
		require.NoError(t, err)
		c := &ociregistry.Client{Default: secure, Username: registrytest.Username, Password: registrytest.Password}
		repo, err := c.Parse("http://" + reg.Host + "/app")
		require.NoError(t, err)
		_, err = c.Resolve(t.Context(), repo, "v1")
		require.ErrorIs(t, err, ociregistry.ErrUnauthorized)
	})
}

func TestTokenAuth(t *testing.T) {
	t.Parallel()
	reg := registrytest.Start(t, registrytest.Token)
	reg.PushImage(t, "team/app", "latest", []byte("token"), created)

	t.Run("TokenIsReused", func(t *testing.T) {
		t.Parallel()
		// A registry of its own: the count of token requests must not take in the other
		// subtests', which run at the same time.
		reg := registrytest.Start(t, registrytest.Token)
		img := reg.PushImage(t, "team/app", "latest", []byte("token"), created)
		c := client(t, reg, true)
		repo, err := c.Parse("team/app")
		require.NoError(t, err)
		d, err := c.Resolve(t.Context(), repo, "latest")
		require.NoError(t, err)
		require.Equal(t, img.Digest, d.Digest)
		issued := reg.TokenRequests()
		_, body, err := c.Manifest(t.Context(), repo, "latest")
		require.NoError(t, err)
		require.NotEmpty(t, body)
		require.Equal(t, issued, reg.TokenRequests(), "the second request reuses the token")
	})
	t.Run("ErrNoCredentials", func(t *testing.T) {
		t.Parallel()
		c := client(t, reg, false)
		repo, err := c.Parse("team/app")
		require.NoError(t, err)
		_, err = c.Resolve(t.Context(), repo, "latest")
		require.ErrorIs(t, err, ociregistry.ErrUnauthorized)
		require.ErrorContains(t, err, "token service")
	})
}
