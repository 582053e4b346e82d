// Package s3deploy runs the S3 deploy action (Deploy/AWS/S3/1): it copies the action's one
// input artifact to a bucket of AWS S3 or any S3-compatible server, or, for BucketName
// file:///abs/dir, to a directory on the worker.
//
// With Extract true every file of the artifact becomes an object under the ObjectKey
// prefix (ObjectKey "site/v2" puts index.html at "site/v2/index.html"), its Content-Type
// taken from the file's extension; with Extract false the artifact is uploaded as one zip
// object at ObjectKey. CacheControl, CannedACL and KMSEncryptionKeyARN (as SSE-KMS) are
// sent with every object to S3; a directory target has no use for them.
package s3deploy

import (
	"context"
	"errors"
	"fmt"

	"sluice"
	"sluice/artifact/s3store"
	"sluice/catalog"
)

// TypeID is the action type this provider runs.
var TypeID = sluice.ActionTypeID{Category: sluice.CategoryDeploy, Owner: sluice.OwnerAWS, Provider: "S3", Version: "1"}

// Provider runs S3 deploy jobs. The zero value uses the standard AWS settings.
type Provider struct {
	// S3 holds the client's Endpoint, Region, PathStyle and credentials; Bucket and Prefix
	// are not used, each action names its bucket. Unset fields come from the standard AWS
	// settings (AWS_ENDPOINT_URL_S3, AWS_REGION, AWS_ACCESS_KEY_ID, the profile, roles).
	S3 s3store.Config
}

var _ sluice.Provider = (*Provider)(nil)

// Types declares the S3 deploy type as the catalog has it, so validation and
// ListActionTypes agree with what runs.
func (*Provider) Types() []sluice.ActionType {
	t, _ := catalog.Lookup(TypeID)
	return []sluice.ActionType{t}
}

// Run deploys the input artifact. A bad configuration and a target that refuses an object
// are failed outcomes; an error means the input artifact could not be read.
func (p *Provider) Run(ctx context.Context, rc *sluice.RunContext) (*sluice.Outcome, error) {
	s, msg := readSettings(rc.Job.Data.Configuration)
	if msg != "" {
		return failed(sluice.FailureConfigurationError, msg), nil
	}
	t, msg := p.openTarget(ctx, s)
	if msg != "" {
		return failed(sluice.FailureConfigurationError, msg), nil
	}
	d := &deploy{target: t, dir: rc.WorkDir, log: &syncWriter{w: rc.Log}}
	summary, err := d.run(ctx, s)
	var pe *putError
	switch {
	case err == nil:
		return &sluice.Outcome{Success: true, Summary: summary}, nil
	case ctx.Err() != nil:
		return failed(sluice.FailureJobFailed, "The deploy was stopped"), nil
	case errors.As(err, &pe):
		return failed(sluice.FailureJobFailed, pe.Error()), nil
	default:
		return nil, fmt.Errorf("read input artifact: %w", err)
	}
}

// openTarget chooses the target BucketName names; a message means a ConfigurationError.
func (p *Provider) openTarget(ctx context.Context, s *settings) (target, string) {
	if isDirURL(s.bucket) {
		return newDirTarget(s)
	}
	client, err := s3store.NewClient(ctx, p.S3)
	if err != nil {
		return nil, "S3 client settings: " + err.Error()
	}
	return newS3Target(client, s), ""
}

func failed(errorType, msg string) *sluice.Outcome {
	return &sluice.Outcome{ErrorType: errorType, Summary: msg, ErrorMessage: msg}
}
