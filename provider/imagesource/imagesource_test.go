package imagesource_test

import (
	"bytes"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/catalog"
	"sluice/ociregistry"
	"sluice/ociregistry/registrytest"
	"sluice/provider/imagesource"
)

type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time { return c.t }

var (
	now     = time.Date(2026, 4, 1, 9, 30, 0, 0, time.UTC)
	created = time.Date(2026, 3, 5, 20, 4, 0, 0, time.UTC)
)

type bundle struct {
	reg      *registrytest.Registry
	provider *imagesource.Provider
	log      *bytes.Buffer
}

// setup starts a registry and a provider whose default registry it is.
func setup(t *testing.T, auth registrytest.Auth) *bundle {
	t.Helper()
	reg := registrytest.Start(t, auth)
	u, err := url.Parse(reg.URL)
	require.NoError(t, err)
	client := &ociregistry.Client{Default: u}
	if auth != registrytest.Anonymous {
		client.Username, client.Password = registrytest.Username, registrytest.Password
	}
	return &bundle{reg: reg, log: &bytes.Buffer{}, provider: &imagesource.Provider{Registry: client, Clock: fixedClock{now}}}
}

func (b *bundle) run(t *testing.T, cfg map[string]string, pin *sluice.Revision) *sluice.Outcome {
	t.Helper()
	rc := &sluice.RunContext{
		Job: &sluice.Job{ID: "job-1", ActionType: imagesource.TypeID, Data: sluice.JobData{ActionTypeID: imagesource.TypeID,
			Configuration: cfg, Revision: pin, OutputArtifacts: []sluice.OutputArtifactRef{{ArtifactRef: sluice.ArtifactRef{Name: "Image", Key: "k"}}}}},
		WorkDir: t.TempDir(), ScratchDir: t.TempDir(), Log: b.log,
	}
	out, err := b.provider.Run(t.Context(), rc)
	require.NoError(t, err)
	return out
}

// detail reads the output artifact's imageDetail.json, and checks it is the only file.
func detail(t *testing.T, out *sluice.Outcome) map[string]any {
	t.Helper()
	require.True(t, out.Success, out.ErrorMessage)
	dir := out.Artifacts["Image"].Dir
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Len(t, entries, 1)
	data, err := os.ReadFile(filepath.Join(dir, "imageDetail.json"))
	require.NoError(t, err)
	var d map[string]any
	require.NoError(t, json.Unmarshal(data, &d))
	return d
}

func TestTypes(t *testing.T) {
	t.Parallel()
	want, ok := catalog.Lookup(imagesource.TypeID)
	require.True(t, ok)
	require.Equal(t, []sluice.ActionType{want}, (&imagesource.Provider{}).Types())
}

func TestRun(t *testing.T) {
	t.Parallel()
	b := setup(t, registrytest.Anonymous)
	v1 := b.reg.PushImage(t, "team/app", "latest", []byte("first layer"), created)

	t.Run("DefaultTag", func(t *testing.T) {
		t.Parallel()
		out := b.run(t, map[string]string{"RepositoryName": "team/app"}, nil)
		uri := b.reg.Host + "/team/app@" + v1.Digest
		require.Equal(t, map[string]any{
			"ImageSizeInBytes": "11", "ImageDigest": v1.Digest, "Version": "1.0",
			"ImagePushedAt": "Thu Mar  5 20:04:00 UTC 2026", "RegistryId": b.reg.Host, "RepositoryName": "team/app",
			"ImageURI": uri, "ImageTags": []any{"latest"},
		}, detail(t, out))
		require.Equal(t, map[string]string{"ImageDigest": v1.Digest, "ImageTag": "latest", "ImageURI": uri,
			"RegistryId": b.reg.Host, "RepositoryName": "team/app"}, out.OutputVariables)
		require.Equal(t, &sluice.Revision{RevisionID: v1.Digest, ChangeIdentifier: v1.Digest,
			Summary: b.reg.Host + "/team/app:latest", Created: created}, out.Revision)
		require.Equal(t, v1.Digest, out.ExternalID)
		require.Contains(t, b.log.String(), "Resolved "+b.reg.Host+"/team/app:latest to "+v1.Digest)
	})
	t.Run("ImageRevisionMatchesRun", func(t *testing.T) {
		t.Parallel()
		rev, err := b.provider.ImageRevision(t.Context(), "team/app", "")
		require.NoError(t, err)
		require.Equal(t, v1.Digest, rev.RevisionID)
	})
	t.Run("FullReference", func(t *testing.T) {
		t.Parallel()
		p := &imagesource.Provider{Registry: &ociregistry.Client{}, Clock: fixedClock{now}}
		bb := &bundle{reg: b.reg, provider: p, log: &bytes.Buffer{}}
		out := bb.run(t, map[string]string{"RepositoryName": b.reg.Host + "/team/app", "ImageTag": "latest"}, nil)
		require.Equal(t, v1.Digest, detail(t, out)["ImageDigest"])
	})
	t.Run("PinnedDigest", func(t *testing.T) {
		t.Parallel()
		b.reg.PushImage(t, "pinned/app", "stable", []byte("old"), created)
		old, err := b.provider.ImageRevision(t.Context(), "pinned/app", "stable")
		require.NoError(t, err)
		b.reg.PushImage(t, "pinned/app", "stable", []byte("new"), created)
		out := b.run(t, map[string]string{"RepositoryName": "pinned/app", "ImageTag": "stable"}, &old)
		require.Equal(t, old.RevisionID, detail(t, out)["ImageDigest"])
	})
	t.Run("Index", func(t *testing.T) {
		t.Parallel()
		small := b.reg.PushImage(t, "multi/app", "amd64", []byte("small"), created)
		big := b.reg.PushImage(t, "multi/app", "arm64", []byte("a bigger layer"), created.Add(time.Hour))
		idx := b.reg.PushIndex(t, "multi/app", "latest", small, big)
		d := detail(t, b.run(t, map[string]string{"RepositoryName": "multi/app"}, nil))
		require.Equal(t, idx, d["ImageDigest"])
		require.Equal(t, "14", d["ImageSizeInBytes"], "the biggest image's size")
		require.Equal(t, "Thu Mar  5 21:04:00 UTC 2026", d["ImagePushedAt"], "the newest image's date")
	})
	t.Run("NoCreatedDateUsesTheClock", func(t *testing.T) {
		t.Parallel()
		layer := b.reg.PushBlob(t, "bare/app", []byte("l"))
		cfg := b.reg.PushBlob(t, "bare/app", []byte(`{"architecture":"amd64","os":"linux"}`))
		manifest := `{"schemaVersion":2,"mediaType":"` + registrytest.ManifestType + `",` +
			`"config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"` + cfg + `","size":37},` +
			`"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"` + layer + `","size":1}]}`
		b.reg.PushManifest(t, "bare/app", "latest", registrytest.ManifestType, []byte(manifest))
		d := detail(t, b.run(t, map[string]string{"RepositoryName": "bare/app"}, nil))
		require.Equal(t, "Wed Apr  1 09:30:00 UTC 2026", d["ImagePushedAt"])
	})
}

func TestRunFailures(t *testing.T) {
	t.Parallel()
	b := setup(t, registrytest.Anonymous)
	img := b.reg.PushImage(t, "team/app", "latest", []byte("x"), created)
	cases := []struct {
		name, errorType, message string
		cfg                      map[string]string
		pin                      *sluice.Revision
	}{
		{"ErrUnknownTag", sluice.FailureConfigurationError, "There is no image " + b.reg.Host + "/team/app:v9 (RepositoryName, ImageTag)",
			map[string]string{"RepositoryName": "team/app", "ImageTag": "v9"}, nil},
		{"ErrUnknownRepository", sluice.FailureConfigurationError, "There is no image " + b.reg.Host + "/no/such:latest",
			map[string]string{"RepositoryName": "no/such"}, nil},
		{"ErrPinnedDigestGone", sluice.FailureRevisionUnavailable, "Image " + b.reg.Host + "/team/app@sha256:" + zeros + " is not in the registry",
			map[string]string{"RepositoryName": "team/app"}, &sluice.Revision{RevisionID: "sha256:" + zeros}},
		{"ErrPinnedNotADigest", sluice.FailureRevisionUnavailable, `The pinned revision "abc" is not an image digest`,
			map[string]string{"RepositoryName": "team/app"}, &sluice.Revision{RevisionID: "abc"}},
		{"ErrBadTag", sluice.FailureConfigurationError, `ImageTag "-x" is not a tag`,
			map[string]string{"RepositoryName": "team/app", "ImageTag": "-x"}, nil},
		{"ErrBadRepository", sluice.FailureConfigurationError, "RepositoryName: invalid: \"Team\" is not a repository name",
			map[string]string{"RepositoryName": "Team"}, nil},
		{"ErrNoRepository", sluice.FailureConfigurationError, "RepositoryName is required", map[string]string{}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			out := b.run(t, c.cfg, c.pin)
			require.False(t, out.Success)
			require.Equal(t, c.errorType, out.ErrorType, out.ErrorMessage)
			require.Contains(t, out.ErrorMessage, c.message)
		})
	}
	t.Run("ErrNoDefaultRegistry", func(t *testing.T) {
		t.Parallel()
		p := &imagesource.Provider{Registry: &ociregistry.Client{}, Clock: fixedClock{now}}
		out := (&bundle{provider: p, log: &bytes.Buffer{}}).run(t, map[string]string{"RepositoryName": "team/app"}, nil)
		require.Equal(t, sluice.FailureConfigurationError, out.ErrorType)
		require.Contains(t, out.ErrorMessage, "no default registry is set")
	})
	require.NotEmpty(t, img.Digest)
}

func TestRunAuthenticated(t *testing.T) {
	t.Parallel()
	for _, auth := range []registrytest.Auth{registrytest.Basic, registrytest.Token} {
		t.Run(map[registrytest.Auth]string{registrytest.Basic: "Basic", registrytest.Token: "Token"}[auth], func(t *testing.T) {
			t.Parallel()
			b := setup(t, auth)
			img := b.reg.PushImage(t, "private/app", "latest", []byte("secret layer"), created)
			require.Equal(t, img.Digest, detail(t, b.run(t, map[string]string{"RepositoryName": "private/app"}, nil))["ImageDigest"])

			b.provider.Registry = &ociregistry.Client{Default: b.provider.Registry.Default} // no credentials
			out := b.run(t, map[string]string{"RepositoryName": "private/app"}, nil)
			require.Equal(t, sluice.FailureJobFailed, out.ErrorType)
			require.Contains(t, out.ErrorMessage, "Could not read image "+b.reg.Host+"/private/app:latest: unauthorized")
		})
	}
}

const zeros = "0000000000000000000000000000000000000000000000000000000000000000"
