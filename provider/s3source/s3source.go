// Package s3source runs Source/AWS/S3/1: the output artifact is one zip object of a bucket
// on AWS S3 or any S3-compatible server, reached with the server's S3 client settings. The
// execution's pinned revision chooses the object version (S3_OBJECT_VERSION_ID, or the
// version a poll found) and, when the action sets AllowOverrideForS3ObjectKey, the key
// (S3_OBJECT_KEY); without one the action takes the object's latest version.
//
// A bucket without versioning works too: the object's ETag then stands for its version,
// and an execution pinned to an ETag fails with RevisionUnavailable once the object has
// been overwritten, since the old content is gone.
package s3source

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/service/s3"

	"sluice"
	"sluice/artifact/s3store"
	"sluice/catalog"
)

// TypeID is the action type this provider runs.
var TypeID = sluice.ActionTypeID{Category: sluice.CategorySource, Owner: sluice.OwnerAWS, Provider: "S3", Version: "1"}

// SummaryKey is the user metadata key whose value becomes the revision summary, as on AWS
// (sent as the header x-amz-meta-codepipeline-artifact-revision-summary).
const SummaryKey = "codepipeline-artifact-revision-summary"

// Provider runs S3 source actions and answers the trigger's polls (ObjectRevision).
type Provider struct {
	// S3 holds the client's Endpoint, Region, PathStyle and credentials, as for the S3
	// deploy action; Bucket and Prefix are not used.
	S3 s3store.Config

	mu     sync.Mutex
	client *s3.Client
}

var _ sluice.Provider = (*Provider)(nil)

// Types declares the S3 source type as the catalog has it.
func (*Provider) Types() []sluice.ActionType {
	t, _ := catalog.Lookup(TypeID)
	return []sluice.ActionType{t}
}

// Run fetches the object into the output artifact. What S3 refuses is a failed outcome
// naming the object; an error means the scratch directory could not be written.
func (p *Provider) Run(ctx context.Context, rc *sluice.RunContext) (*sluice.Outcome, error) {
	cfg := rc.Job.Data.Configuration
	obj := objectOf(cfg, rc.Job.Data.Revision)
	switch {
	case obj.bucket == "":
		return failed(sluice.FailureConfigurationError, "S3Bucket is required"), nil
	case obj.key == "":
		return failed(sluice.FailureConfigurationError, "S3ObjectKey is required"), nil
	}
	client, err := p.s3(ctx)
	if err != nil {
		return failed(sluice.FailureConfigurationError, "S3 client settings: "+err.Error()), nil
	}
	zipPath, rev, outcome, err := fetch(ctx, client, obj, rc.ScratchDir)
	if outcome != nil || err != nil {
		return outcome, err
	}
	fmt.Fprintf(rc.Log, "Fetched %s (%s)\n", obj, describe(rev))
	summary := rev.Summary
	if summary == "" {
		summary = fmt.Sprintf("%s (%s)", obj.location(), describe(rev))
	}
	out := &sluice.Outcome{Success: true, Summary: summary, ExternalID: rev.RevisionID, Revision: rev,
		OutputVariables: map[string]string{"ETag": rev.Variables["ETag"], "VersionId": rev.Variables["VersionId"], "ObjectKey": obj.key},
		Artifacts:       map[string]sluice.ArtifactSource{}}
	for _, o := range rc.Job.Data.OutputArtifacts {
		out.Artifacts[o.Name] = sluice.ArtifactSource{ZipFile: zipPath}
	}
	return out, nil
}

// ObjectRevision is the revision the object's latest version would be, read with a HEAD
// request (no download), for change detection.
func (p *Provider) ObjectRevision(ctx context.Context, bucket, key string) (sluice.Revision, error) {
	client, err := p.s3(ctx)
	if err != nil {
		return sluice.Revision{}, fmt.Errorf("S3 client settings: %w", err)
	}
	return head(ctx, client, bucket, key)
}

// s3 returns the client, made on first use; a failure is not kept, so a fixed
// environment works without a restart.
func (p *Provider) s3(ctx context.Context) (*s3.Client, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.client != nil {
		return p.client, nil
	}
	c, err := s3store.NewClient(ctx, p.S3)
	if err != nil {
		return nil, err
	}
	p.client = c
	return c, nil
}

// object is the object a run fetches: its bucket and key, and the version or, in a bucket
// without versioning, the ETag the execution is pinned to.
type object struct {
	bucket, key string
	versionID   string
	etag        string
}

func (o object) location() string { return "s3://" + o.bucket + "/" + o.key }

func (o object) String() string {
	switch {
	case o.versionID != "":
		return o.location() + " version " + o.versionID
	case o.etag != "":
		return o.location() + " ETag " + o.etag
	}
	return o.location()
}

// objectOf reads the configuration and the pinned revision. A poll pins VersionId and
// ETag variables (VersionId empty in a bucket without versioning); sourceRevisions pin
// S3_OBJECT_VERSION_ID as the revision id and S3_OBJECT_KEY as the ObjectKey variable.
func objectOf(cfg map[string]string, pin *sluice.Revision) object {
	o := object{bucket: cfg["S3Bucket"], key: cfg["S3ObjectKey"]}
	if pin == nil {
		return o
	}
	if k := pin.Variables["ObjectKey"]; k != "" && strings.EqualFold(cfg["AllowOverrideForS3ObjectKey"], "true") {
		o.key = k
	}
	if v, ok := pin.Variables["VersionId"]; ok || pin.Variables["ETag"] != "" {
		o.versionID, o.etag = v, pin.Variables["ETag"]
		if o.versionID != "" {
			o.etag = "" // the version says it all
		}
		return o
	}
	o.versionID = pin.RevisionID
	return o
}

func describe(rev *sluice.Revision) string {
	if v := rev.Variables["VersionId"]; v != "" {
		return "version " + v
	}
	return "ETag " + rev.Variables["ETag"] + ", bucket not versioned"
}

func failed(errorType, msg string) *sluice.Outcome {
	return &sluice.Outcome{ErrorType: errorType, Summary: msg, ErrorMessage: msg}
}
