package service

import (
	"context"

	"sluice"
)

// ownerARN is the ARN an inline policy or attachment operation of o is asked on.
func (s *Service) ownerARN(ctx context.Context, o sluice.PolicyOwner) string {
	if o.Kind == sluice.OwnerGroup {
		return s.groupARNOf(ctx, o.Name)
	}
	return s.userARNOf(ctx, o.Name)
}

// iamAction is IAM's action for an operation on a user's or a group's policies: verb
// "Put" and kind user make "iam:PutUserPolicy".
func iamAction(verb string, o sluice.PolicyOwner, noun string) string {
	kind := "User"
	if o.Kind == sluice.OwnerGroup {
		kind = "Group"
	}
	return "iam:" + verb + kind + noun
}

// PutInlinePolicy validates doc and stores it as o's inline policy name, replacing one of
// that name. All of a user's inline documents together hold at most 2,048 characters but
// whitespace, a group's 5,120.
func (s *Service) PutInlinePolicy(ctx context.Context, c sluice.Caller, o sluice.PolicyOwner, name, doc string) error {
	if err := s.allow(ctx, c, iamAction("Put", o, "Policy"), s.ownerARN(ctx, o)); err != nil {
		return err
	}
	if _, err := parseDocument(doc); err != nil {
		return err
	}
	return s.inTx(ctx, func(x sluice.Executor) error {
		if _, err := ownerName(ctx, x, o); err != nil {
			return err
		}
		ps, err := x.InlinePolicies(ctx, o)
		if err != nil {
			return err
		}
		size, quota := policySize(doc), sluice.MaxUserInlineSize
		if o.Kind == sluice.OwnerGroup {
			quota = sluice.MaxGroupInlineSize
		}
		for _, p := range ps {
			if p.Name != name {
				size += policySize(p.Document)
			}
		}
		if size > quota {
			return sluice.Errorf(sluice.ELimit, "PolicySize", "Maximum policy size of %d bytes exceeded for %s %s", quota, o.Kind, o.Name)
		}
		return x.PutInlinePolicy(ctx, o, sluice.InlinePolicy{Name: name, Document: doc})
	})
}

// ownerName checks that o exists and returns its stored name.
func ownerName(ctx context.Context, x sluice.Executor, o sluice.PolicyOwner) (string, error) {
	if o.Kind == sluice.OwnerGroup {
		g, err := x.GetGroup(ctx, o.Name)
		if err != nil {
			return "", err
		}
		return g.Name, nil
	}
	u, err := x.GetUser(ctx, o.Name)
	if err != nil {
		return "", err
	}
	return u.Name, nil
}

// GetInlinePolicy returns one inline policy of o, its document as stored.
func (s *Service) GetInlinePolicy(ctx context.Context, c sluice.Caller, o sluice.PolicyOwner, name string) (*sluice.InlinePolicy, error) {
	if err := s.allow(ctx, c, iamAction("Get", o, "Policy"), s.ownerARN(ctx, o)); err != nil {
		return nil, err
	}
	if _, err := ownerName(ctx, s.Store, o); err != nil {
		return nil, err
	}
	return s.Store.GetInlinePolicy(ctx, o, name)
}

// ListInlinePolicies lists the names of o's inline policies.
func (s *Service) ListInlinePolicies(ctx context.Context, c sluice.Caller, o sluice.PolicyOwner, p IAMPage) ([]string, string, error) {
	if err := s.allow(ctx, c, iamAction("List", o, "Policies"), s.ownerARN(ctx, o)); err != nil {
		return nil, "", err
	}
	if _, err := ownerName(ctx, s.Store, o); err != nil {
		return nil, "", err
	}
	ps, err := s.Store.InlinePolicies(ctx, o)
	if err != nil {
		return nil, "", err
	}
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.Name
	}
	return pageOf(names, func(n string) string { return n }, p)
}

// DeleteInlinePolicy removes one inline policy of o.
func (s *Service) DeleteInlinePolicy(ctx context.Context, c sluice.Caller, o sluice.PolicyOwner, name string) error {
	if err := s.allow(ctx, c, iamAction("Delete", o, "Policy"), s.ownerARN(ctx, o)); err != nil {
		return err
	}
	return s.inTx(ctx, func(x sluice.Executor) error {
		if _, err := ownerName(ctx, x, o); err != nil {
			return err
		}
		return x.DeleteInlinePolicy(ctx, o, name)
	})
}
