package service

import (
	"context"

	"sluice"
)

// AttachPolicy attaches a managed policy (shipped or the account's) to a user or group, at
// most ten to each.
func (s *Service) AttachPolicy(ctx context.Context, c sluice.Caller, o sluice.PolicyOwner, arn string) error {
	if err := s.allow(ctx, c, iamAction("Attach", o, "Policy"), s.ownerARN(ctx, o)); err != nil {
		return err
	}
	return s.inTx(ctx, func(x sluice.Executor) error {
		name, err := ownerName(ctx, x, o)
		if err != nil {
			return err
		}
		if _, err := managedPolicy(ctx, x, arn); err != nil {
			return err
		}
		o.Name = name
		arns, err := x.AttachedPolicies(ctx, o)
		if err != nil {
			return err
		}
		for _, a := range arns {
			if a == arn {
				return nil
			}
		}
		if len(arns) >= sluice.MaxAttachedPolicies {
			kind := "PoliciesPerUser"
			if o.Kind == sluice.OwnerGroup {
				kind = "PoliciesPerGroup"
			}
			return sluice.Errorf(sluice.ELimit, "Attachments", "Cannot exceed quota for %s: %d", kind, sluice.MaxAttachedPolicies)
		}
		return x.AttachPolicy(ctx, o, arn)
	})
}

// DetachPolicy ends an attachment.
func (s *Service) DetachPolicy(ctx context.Context, c sluice.Caller, o sluice.PolicyOwner, arn string) error {
	if err := s.allow(ctx, c, iamAction("Detach", o, "Policy"), s.ownerARN(ctx, o)); err != nil {
		return err
	}
	return s.inTx(ctx, func(x sluice.Executor) error {
		if _, err := ownerName(ctx, x, o); err != nil {
			return err
		}
		return x.DetachPolicy(ctx, o, arn)
	})
}

// ListAttachedPolicies lists the managed policies attached to o (name and ARN).
func (s *Service) ListAttachedPolicies(ctx context.Context, c sluice.Caller, o sluice.PolicyOwner, p IAMPage) ([]*sluice.ManagedPolicy, string, error) {
	if err := s.allow(ctx, c, iamAction("ListAttached", o, "Policies"), s.ownerARN(ctx, o)); err != nil {
		return nil, "", err
	}
	if _, err := ownerName(ctx, s.Store, o); err != nil {
		return nil, "", err
	}
	arns, err := s.Store.AttachedPolicies(ctx, o)
	if err != nil {
		return nil, "", err
	}
	var out []*sluice.ManagedPolicy
	for _, arn := range arns {
		mp, err := managedPolicy(ctx, s.Store, arn)
		if sluice.IsCode(err, sluice.ENotFound) {
			continue // cannot happen while DeletePolicy refuses attached policies
		}
		if err != nil {
			return nil, "", err
		}
		out = append(out, mp)
	}
	return pageOf(out, func(m *sluice.ManagedPolicy) string { return m.ARN }, p)
}
