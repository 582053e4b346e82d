package service

import (
	"context"

	"sluice"
	"sluice/policy"
)

// allowWorkerLabels asks whether the caller may poll with these labels: a worker key bound
// to labels carries a Deny of PollForWorkerJobs for any other (see docs/security.md), which
// only a request that names its labels (policy.WorkerLabelsKey) can meet.
func (s *Service) allowWorkerLabels(ctx context.Context, c sluice.Caller, labels []string) error {
	if s.Authz == nil || len(labels) == 0 {
		return nil
	}
	ctx = sluice.WithConditionKeys(ctx, map[string][]string{policy.WorkerLabelsKey: labels})
	return s.Authz.Authorize(ctx, c, sluice.Access{Action: "sluice:PollForWorkerJobs", Resource: "*"})
}
