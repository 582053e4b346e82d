package service

import (
	"context"

	"sluice"
)

// BadgeTag is the tag that makes a pipeline's status badge public: its value must be
// BadgeOn. The badge is served without sign-in, so it is off unless the operator turns it
// on for that pipeline (aws codepipeline tag-resource ... --tags key=sluice:badge,value=on).
const (
	BadgeTag = "sluice:badge"
	BadgeOn  = "on"
)

// BadgeStatus returns the status of the pipeline's latest execution for its public badge
// ("" when it has not run yet) and ok true, when the pipeline has the tag BadgeTag=BadgeOn.
// A pipeline without the tag and one that does not exist are alike (ok false, no error), so
// that the badge tells nothing of pipelines that did not turn it on. It asks no caller: the
// tag is the operator's permission, and it reads as the server.
func (s *Service) BadgeStatus(ctx context.Context, pipeline string) (status string, ok bool, err error) {
	tags, err := s.Store.ListTags(ctx, s.pipelineARN(pipeline))
	if err != nil || tags[BadgeTag] != BadgeOn {
		return "", false, err
	}
	runs, _, err := s.ListExecutions(ctx, sluice.ServerCaller(), pipeline, sluice.ExecutionFilter{Page: sluice.Page{Limit: 1}})
	switch {
	case sluice.IsCode(err, sluice.ENotFound):
		return "", false, nil
	case err != nil:
		return "", false, err
	case len(runs) == 0:
		return "", true, nil
	}
	return string(runs[0].Status), true, nil
}
