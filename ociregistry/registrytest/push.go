package registrytest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Media types of what PushImage writes.
const (
	ManifestType = "application/vnd.oci.image.manifest.v1+json"
	IndexType    = "application/vnd.oci.image.index.v1+json"
	configType   = "application/vnd.oci.image.config.v1+json"
	layerType    = "application/vnd.oci.image.layer.v1.tar"
)

// Image is what PushImage pushed.
type Image struct {
	Digest    string // of the manifest
	LayerSize int64
	Created   time.Time
}

// PushImage pushes a one-layer image holding layer to repo:tag, its config created at
// created, and returns it. Different layers make different digests.
func (r *Registry) PushImage(t *testing.T, repo, tag string, layer []byte, created time.Time) Image {
	t.Helper()
	layerDigest := r.PushBlob(t, repo, layer)
	cfg := fmt.Sprintf(`{"architecture":"amd64","os":"linux","created":%q,"rootfs":{"type":"layers","diff_ids":[%q]}}`,
		created.UTC().Format(time.RFC3339Nano), layerDigest)
	cfgDigest := r.PushBlob(t, repo, []byte(cfg))
	manifest, err := json.Marshal(map[string]any{
		"schemaVersion": 2, "mediaType": ManifestType,
		"config": map[string]any{"mediaType": configType, "digest": cfgDigest, "size": len(cfg)},
		"layers": []any{map[string]any{"mediaType": layerType, "digest": layerDigest, "size": len(layer)}},
	})
	require.NoError(t, err)
	return Image{Digest: r.PushManifest(t, repo, tag, ManifestType, manifest), LayerSize: int64(len(layer)), Created: created}
}

// PushIndex pushes an index of images (pushed before to repo) to repo:tag.
func (r *Registry) PushIndex(t *testing.T, repo, tag string, images ...Image) string {
	t.Helper()
	var manifests []any
	for i, img := range images {
		resp, body := r.do(t, repo, http.MethodGet, r.URL+"/v2/"+repo+"/manifests/"+img.Digest, "", nil)
		require.Equal(t, http.StatusOK, resp.StatusCode, "GET manifest %s: %s", img.Digest, resp.Status)
		manifests = append(manifests, map[string]any{"mediaType": ManifestType, "digest": img.Digest, "size": len(body),
			"platform": map[string]string{"architecture": []string{"amd64", "arm64", "s390x"}[i%3], "os": "linux"}})
	}
	index, err := json.Marshal(map[string]any{"schemaVersion": 2, "mediaType": IndexType, "manifests": manifests})
	require.NoError(t, err)
	return r.PushManifest(t, repo, tag, IndexType, index)
}

// PushBlob uploads content in one request (a monolithic upload) and returns its digest.
func (r *Registry) PushBlob(t *testing.T, repo string, content []byte) string {
	t.Helper()
	resp, _ := r.do(t, repo, http.MethodPost, r.URL+"/v2/"+repo+"/blobs/uploads/", "", nil)
	require.Equal(t, http.StatusAccepted, resp.StatusCode, "start upload: %s", resp.Status)
	loc, err := resp.Location()
	require.NoError(t, err)
	digest := Digest(content)
	q := loc.Query()
	q.Set("digest", digest)
	loc.RawQuery = q.Encode()
	resp, _ = r.do(t, repo, http.MethodPut, loc.String(), "application/octet-stream", content)
	require.Equal(t, http.StatusCreated, resp.StatusCode, "upload blob: %s", resp.Status)
	return digest
}

// PushManifest puts a manifest at repo:reference and returns its digest.
func (r *Registry) PushManifest(t *testing.T, repo, reference, mediaType string, body []byte) string {
	t.Helper()
	resp, _ := r.do(t, repo, http.MethodPut, r.URL+"/v2/"+repo+"/manifests/"+url.PathEscape(reference), mediaType, body)
	require.Equal(t, http.StatusCreated, resp.StatusCode, "put manifest: %s", resp.Status)
	require.Equal(t, Digest(body), resp.Header.Get("Docker-Content-Digest"))
	return Digest(body)
}

// Digest is the sha256 digest of content as registries write it.
func Digest(content []byte) string {
	sum := sha256.Sum256(content)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// do sends one request as the registry's user, with push rights, and returns the
// response and its body.
func (r *Registry) do(t *testing.T, repo, method, u, contentType string, body []byte) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, u, bytes.NewReader(body))
	require.NoError(t, err)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Accept", ManifestType+", "+IndexType)
	switch r.auth {
	case Basic:
		req.SetBasicAuth(Username, Password)
	case Token:
		tok, err := r.tok.sign("repository:" + repo + ":pull,push")
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, data
}

// TokenRequests is how many tokens the token service issued to clients.
func (r *Registry) TokenRequests() int64 { return r.tok.requests.Load() }
