package trigger

import (
	"context"
	"strings"

	"sluice"
)

// Objects reads the revision of an S3 object's latest version without downloading it
// (s3source.Provider): the version id, or the ETag in a bucket without versioning.
type Objects interface {
	ObjectRevision(ctx context.Context, bucket, key string) (sluice.Revision, error)
}

// objectTarget is the target of an S3 source action, nil when it is not polled:
// PollForSourceChanges false asks for an event rule on AWS, and Sluice receives no S3
// events.
func (c *ObjectRound) objectTarget(cfg map[string]string) (string, func() *target) {
	if c.Objects == nil || strings.EqualFold(cfg["PollForSourceChanges"], "false") {
		return "", nil
	}
	bucket, key := cfg["S3Bucket"], cfg["S3ObjectKey"]
	return "s3://" + bucket + "/" + key, func() *target {
		return &target{trigger: sluice.Trigger{Type: sluice.TriggerPollForSourceChanges, Detail: c.Engine.Scope().ARN(sluice.S3ObjectARN, bucket+"/"+key)},
			revision: func(ctx context.Context) (sluice.Revision, error) { return c.Objects.ObjectRevision(ctx, bucket, key) }}
	}
}
