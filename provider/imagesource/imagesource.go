// Package imagesource runs Source/AWS/ECR/1 against any OCI registry: the action follows a
// tag of a repository, and its output artifact holds imageDetail.json naming the image by
// digest, in the shape CodePipeline's ECR source writes.
//
// RepositoryName is a repository of the server's default registry (--registry), such as
// "team/app", or a full reference naming its registry, such as
// "registry.example.com/team/app" or "127.0.0.1:5000/app" (see ociregistry.Client.Parse).
// ImageTag defaults to latest. An execution pinned to an IMAGE_DIGEST takes that image,
// which must still be in the repository.
package imagesource

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"sluice"
	"sluice/catalog"
	"sluice/ociregistry"
)

// TypeID is the action type this provider runs.
var TypeID = sluice.ActionTypeID{Category: sluice.CategorySource, Owner: sluice.OwnerAWS, Provider: "ECR", Version: "1"}

// DefaultTag is the tag followed when the action sets no ImageTag.
const DefaultTag = "latest"

// Provider runs image source actions and answers the trigger's polls (ImageRevision).
type Provider struct {
	Registry *ociregistry.Client
	// Clock dates an image whose config records no creation time.
	Clock sluice.Clock
}

var _ sluice.Provider = (*Provider)(nil)

// Types declares the ECR source type as the catalog has it.
func (*Provider) Types() []sluice.ActionType {
	t, _ := catalog.Lookup(TypeID)
	return []sluice.ActionType{t}
}

// Run resolves the tag (or the pinned digest) and writes imageDetail.json. What the
// registry refuses is a failed outcome; an error is a local one.
func (p *Provider) Run(ctx context.Context, rc *sluice.RunContext) (*sluice.Outcome, error) {
	cfg := rc.Job.Data.Configuration
	repo, tag, msg := p.settings(cfg)
	if msg != "" {
		return failed(sluice.FailureConfigurationError, msg), nil
	}
	reference, pin := tag, rc.Job.Data.Revision
	if pin != nil && pin.RevisionID != "" {
		if !ociregistry.ValidDigest(pin.RevisionID) {
			return failed(sluice.FailureRevisionUnavailable, fmt.Sprintf("The pinned revision %q is not an image digest (sha256:<64 hex digits>).", pin.RevisionID)), nil
		}
		reference = pin.RevisionID
	}
	img, err := p.describe(ctx, repo, reference)
	if err != nil {
		return registryFailed(repo, tag, reference, err), nil
	}
	if img.pushedAt.IsZero() {
		img.pushedAt = p.now(pin)
	}
	detail := newDetail(repo, tag, img)
	dir := filepath.Join(rc.ScratchDir, "image")
	if err := writeDetail(dir, detail); err != nil {
		return nil, err
	}
	fmt.Fprintf(rc.Log, "Resolved %s:%s to %s (%s bytes)\n", repo, tag, img.digest, detail.ImageSizeInBytes)
	out := &sluice.Outcome{Success: true, Summary: repo.String() + ":" + tag, ExternalID: img.digest,
		Artifacts: map[string]sluice.ArtifactSource{},
		OutputVariables: map[string]string{"ImageDigest": img.digest, "ImageTag": tag, "ImageURI": detail.ImageURI,
			"RegistryId": detail.RegistryID, "RepositoryName": repo.Name},
		Revision: &sluice.Revision{RevisionID: img.digest, ChangeIdentifier: img.digest, Summary: repo.String() + ":" + tag,
			Created: img.pushedAt}}
	for _, o := range rc.Job.Data.OutputArtifacts {
		out.Artifacts[o.Name] = sluice.ArtifactSource{Dir: dir}
	}
	return out, nil
}

// ImageRevision is the revision the tag points at now, read with one HEAD request (no
// download), for change detection.
func (p *Provider) ImageRevision(ctx context.Context, repository, tag string) (sluice.Revision, error) {
	repo, tag, msg := p.settings(map[string]string{"RepositoryName": repository, "ImageTag": tag})
	if msg != "" {
		return sluice.Revision{}, errors.New(msg)
	}
	d, err := p.Registry.Resolve(ctx, repo, tag)
	if err != nil {
		return sluice.Revision{}, err
	}
	return sluice.Revision{RevisionID: d.Digest, ChangeIdentifier: d.Digest, Summary: repo.String() + ":" + tag}, nil
}

// settings checks the configuration; a message means a ConfigurationError.
func (p *Provider) settings(cfg map[string]string) (ociregistry.Repository, string, string) {
	tag := cfg["ImageTag"]
	if tag == "" {
		tag = DefaultTag
	}
	if !ociregistry.ValidTag(tag) {
		return ociregistry.Repository{}, "", fmt.Sprintf("ImageTag %q is not a tag: up to 128 letters, digits and . _ -, not starting with . or -", tag)
	}
	if cfg["RepositoryName"] == "" {
		return ociregistry.Repository{}, "", "RepositoryName is required"
	}
	repo, err := p.Registry.Parse(cfg["RepositoryName"])
	if err != nil {
		return ociregistry.Repository{}, "", "RepositoryName: " + err.Error()
	}
	return repo, tag, ""
}

func (p *Provider) now(pin *sluice.Revision) time.Time {
	if pin != nil && !pin.Created.IsZero() {
		return pin.Created
	}
	return p.Clock.Now()
}

func writeDetail(dir string, d imageDetail) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	data, err := json.MarshalIndent(d, "", "    ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "imageDetail.json"), append(data, '\n'), 0o644)
}

// registryFailed explains a failed resolution: a tag or repository that is not there is a
// configuration error, a pinned digest that is gone makes the revision unavailable.
func registryFailed(repo ociregistry.Repository, tag, reference string, err error) *sluice.Outcome {
	pinned := reference != tag
	switch {
	case errors.Is(err, ociregistry.ErrNotFound) && pinned:
		return failed(sluice.FailureRevisionUnavailable, fmt.Sprintf("Image %s@%s is not in the registry: %v", repo, reference, err))
	case errors.Is(err, ociregistry.ErrNotFound):
		return failed(sluice.FailureConfigurationError, fmt.Sprintf("There is no image %s:%s (RepositoryName, ImageTag): %v", repo, tag, err))
	}
	return failed(sluice.FailureJobFailed, fmt.Sprintf("Could not read image %s:%s: %v", repo, tag, err))
}

func failed(errorType, msg string) *sluice.Outcome {
	return &sluice.Outcome{ErrorType: errorType, Summary: msg, ErrorMessage: msg}
}
