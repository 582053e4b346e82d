package trigger

import (
	"context"

	"sluice"
)

// Images reads the revision an image tag points at, its manifest digest
// (imagesource.Provider).
type Images interface {
	ImageRevision(ctx context.Context, repository, tag string) (sluice.Revision, error)
}

// imageTarget is the target of an image source action. Image sources are always watched:
// CodePipeline starts them from ECR push events, which this poll stands in for, so their
// executions record the trigger CloudWatchEvent with the image reference as its detail.
func (c *ObjectRound) imageTarget(cfg map[string]string) (string, func() *target) {
	if c.Images == nil {
		return "", nil
	}
	repo, tag := cfg["RepositoryName"], cfg["ImageTag"]
	if tag == "" {
		tag = "latest" // the action's default, named so that both spellings share a target
	}
	return "image:" + repo + ":" + tag, func() *target {
		return &target{trigger: sluice.Trigger{Type: sluice.TriggerCloudWatchEvent, Detail: repo + ":" + tag},
			revision: func(ctx context.Context) (sluice.Revision, error) { return c.Images.ImageRevision(ctx, repo, tag) }}
	}
}
