package ociregistry

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
)

// Manifest media types: an image manifest or an index of them (multi-platform), in the OCI
// and the Docker forms.
const (
	MediaTypeOCIManifest    = "application/vnd.oci.image.manifest.v1+json"
	MediaTypeOCIIndex       = "application/vnd.oci.image.index.v1+json"
	MediaTypeDockerManifest = "application/vnd.docker.distribution.manifest.v2+json"
	MediaTypeDockerList     = "application/vnd.docker.distribution.manifest.list.v2+json"
)

// manifestTypes is the Accept header of manifest requests: without the index types a
// registry may answer a multi-platform tag with an error or a converted manifest.
var manifestTypes = []string{MediaTypeOCIIndex, MediaTypeOCIManifest, MediaTypeDockerList, MediaTypeDockerManifest}

// maxManifest bounds a manifest read (the distribution spec's recommended 4 MiB limit).
const maxManifest = 4 << 20

// Descriptor names content by digest.
type Descriptor struct {
	MediaType string `json:"mediaType"`
	Digest    string `json:"digest"`
	Size      int64  `json:"size"`
}

// Manifest is what image sources read of a manifest: an image's config and layers, or an
// index's manifests.
type Manifest struct {
	MediaType string       `json:"mediaType"`
	Config    Descriptor   `json:"config"`
	Layers    []Descriptor `json:"layers"`
	Manifests []Descriptor `json:"manifests"`
}

// IsIndex reports whether m lists manifests rather than describing one image.
func (m *Manifest) IsIndex() bool {
	return m.MediaType == MediaTypeOCIIndex || m.MediaType == MediaTypeDockerList || len(m.Manifests) > 0
}

// Resolve returns the descriptor of the manifest that reference (a tag or a digest) names,
// with a HEAD request: nothing is downloaded unless the registry leaves out the digest
// header, which the spec allows; then the manifest is read and hashed.
func (c *Client) Resolve(ctx context.Context, repo Repository, reference string) (Descriptor, error) {
	if err := checkReference(reference); err != nil {
		return Descriptor{}, err
	}
	resp, err := c.do(ctx, repo, http.MethodHead, "/v2/"+repo.Name+"/manifests/"+reference, manifestTypes)
	if err != nil {
		return Descriptor{}, err
	}
	drain(resp)
	if err := statusError(resp, repo, reference, nil); err != nil {
		return Descriptor{}, err
	}
	if d := resp.Header.Get("Docker-Content-Digest"); d != "" {
		return Descriptor{MediaType: mediaType(resp), Digest: d, Size: resp.ContentLength}, nil
	}
	desc, _, err := c.Manifest(ctx, repo, reference)
	return desc, err
}

// Manifest reads the manifest reference names and checks its digest: against reference
// when that is a digest, else against the registry's Docker-Content-Digest header.
func (c *Client) Manifest(ctx context.Context, repo Repository, reference string) (Descriptor, []byte, error) {
	if err := checkReference(reference); err != nil {
		return Descriptor{}, nil, err
	}
	resp, err := c.do(ctx, repo, http.MethodGet, "/v2/"+repo.Name+"/manifests/"+reference, manifestTypes)
	if err != nil {
		return Descriptor{}, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxManifest+1))
	if err != nil {
		return Descriptor{}, nil, fmt.Errorf("read manifest %s:%s: %w", repo, reference, err)
	}
	if err := statusError(resp, repo, reference, body); err != nil {
		return Descriptor{}, nil, err
	}
	if len(body) > maxManifest {
		return Descriptor{}, nil, fmt.Errorf("%w: manifest %s:%s is over 4 MiB", ErrInvalid, repo, reference)
	}
	sum := sha256.Sum256(body)
	digest := "sha256:" + hex.EncodeToString(sum[:])
	for _, want := range []string{reference, resp.Header.Get("Docker-Content-Digest")} {
		if strings.HasPrefix(want, "sha256:") && want != digest {
			return Descriptor{}, nil, fmt.Errorf("%w: manifest %s:%s has digest %s, not %s", ErrInvalid, repo, reference, digest, want)
		}
	}
	mt := mediaType(resp)
	if mt == "" || mt == "application/json" {
		var m Manifest
		_ = json.Unmarshal(body, &m)
		mt = m.MediaType
	}
	return Descriptor{MediaType: mt, Digest: digest, Size: int64(len(body))}, body, nil
}

// Blob reads a blob of at most limit bytes (an image config) and checks its digest.
func (c *Client) Blob(ctx context.Context, repo Repository, digest string, limit int64) ([]byte, error) {
	if !ValidDigest(digest) {
		return nil, fmt.Errorf("%w: blob digest %q is not a sha256 digest", ErrInvalid, digest)
	}
	resp, err := c.do(ctx, repo, http.MethodGet, "/v2/"+repo.Name+"/blobs/"+digest, nil)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read blob %s@%s: %w", repo, digest, err)
	}
	if err := statusError(resp, repo, digest, body); err != nil {
		return nil, err
	}
	if int64(len(body)) > limit {
		return nil, fmt.Errorf("%w: blob %s@%s is over %d bytes", ErrInvalid, repo, digest, limit)
	}
	if sum := sha256.Sum256(body); digest != "sha256:"+hex.EncodeToString(sum[:]) {
		return nil, fmt.Errorf("%w: blob %s@%s does not match its digest", ErrInvalid, repo, digest)
	}
	return body, nil
}

func mediaType(resp *http.Response) string {
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	return mt
}

// statusError turns a failed response into an error carrying the registry's error codes
// ({"errors":[{"code","message"}]}); body is nil for HEAD requests.
func statusError(resp *http.Response, repo Repository, reference string, body []byte) error {
	if resp.StatusCode/100 == 2 {
		return nil
	}
	what := fmt.Sprintf("registry %s: %s:%s: %s", repo.Host(), repo.Name, reference, resp.Status)
	if strings.HasPrefix(reference, "sha256:") {
		what = fmt.Sprintf("registry %s: %s@%s: %s", repo.Host(), repo.Name, reference, resp.Status)
	}
	var e struct {
		Errors []struct{ Code, Message string } `json:"errors"`
	}
	if json.NewDecoder(bytes.NewReader(body)).Decode(&e) == nil {
		for _, x := range e.Errors {
			what += fmt.Sprintf(" (%s: %s)", x.Code, x.Message)
		}
	}
	switch resp.StatusCode {
	case http.StatusNotFound:
		return fmt.Errorf("%w: %s", ErrNotFound, what)
	case http.StatusUnauthorized, http.StatusForbidden:
		return fmt.Errorf("%w: %s", ErrUnauthorized, what)
	}
	return fmt.Errorf("%s", what)
}
