package service

import (
	"context"
	"strings"

	"sluice"
)

// groupARNOf is the ARN a group's operations are asked on (see userARNOf).
func (s *Service) groupARNOf(ctx context.Context, name string) string {
	if g, err := s.Store.GetGroup(ctx, name); err == nil {
		return g.ARN
	}
	return s.iamARN(sluice.GroupARN, "/", name)
}

// CreateGroup makes a group at path ("" is "/").
func (s *Service) CreateGroup(ctx context.Context, c sluice.Caller, name, path string) (*sluice.Group, error) {
	if path == "" {
		path = "/"
	}
	g := &sluice.Group{Name: name, Path: path, ID: uniqueID("AGPA"), ARN: s.iamARN(sluice.GroupARN, path, name), Created: s.Now()}
	if err := s.allow(ctx, c, "iam:CreateGroup", g.ARN); err != nil {
		return nil, err
	}
	return g, s.inTx(ctx, func(x sluice.Executor) error {
		all, err := x.ListGroups(ctx)
		if err != nil {
			return err
		}
		if len(all) >= sluice.MaxGroups {
			return sluice.Errorf(sluice.ELimit, "Groups", "Cannot exceed quota for GroupsPerAccount: %d", sluice.MaxGroups)
		}
		return x.CreateGroup(ctx, g)
	})
}

// GetGroup returns a group and one page of its users.
func (s *Service) GetGroup(ctx context.Context, c sluice.Caller, name string, p IAMPage) (*sluice.Group, []*sluice.User, string, error) {
	if err := s.allow(ctx, c, "iam:GetGroup", s.groupARNOf(ctx, name)); err != nil {
		return nil, nil, "", err
	}
	g, err := s.Store.GetGroup(ctx, name)
	if err != nil {
		return nil, nil, "", err
	}
	users, err := s.Store.GroupMembers(ctx, g.Name)
	if err != nil {
		return nil, nil, "", err
	}
	users, marker, err := pageOf(users, func(u *sluice.User) string { return u.Name }, p)
	return g, users, marker, err
}

// ListGroups lists the groups whose path starts with pathPrefix.
func (s *Service) ListGroups(ctx context.Context, c sluice.Caller, pathPrefix string, p IAMPage) ([]*sluice.Group, string, error) {
	if err := s.allow(ctx, c, "iam:ListGroups", "*"); err != nil {
		return nil, "", err
	}
	all, err := s.Store.ListGroups(ctx)
	if err != nil {
		return nil, "", err
	}
	var groups []*sluice.Group
	for _, g := range all {
		if strings.HasPrefix(g.Path, pathPrefix) {
			groups = append(groups, g)
		}
	}
	return pageOf(groups, func(g *sluice.Group) string { return g.Name }, p)
}

// ListGroupsForUser lists a user's groups.
func (s *Service) ListGroupsForUser(ctx context.Context, c sluice.Caller, user string, p IAMPage) ([]*sluice.Group, string, error) {
	if err := s.allow(ctx, c, "iam:ListGroupsForUser", s.userARNOf(ctx, user)); err != nil {
		return nil, "", err
	}
	if _, err := s.Store.GetUser(ctx, user); err != nil {
		return nil, "", err
	}
	groups, err := s.Store.GroupsOfUser(ctx, user)
	if err != nil {
		return nil, "", err
	}
	return pageOf(groups, func(g *sluice.Group) string { return g.Name }, p)
}

// DeleteGroup removes a group without members or policies (DeleteConflict otherwise).
func (s *Service) DeleteGroup(ctx context.Context, c sluice.Caller, name string) error {
	if err := s.allow(ctx, c, "iam:DeleteGroup", s.groupARNOf(ctx, name)); err != nil {
		return err
	}
	return s.inTx(ctx, func(x sluice.Executor) error {
		g, err := x.GetGroup(ctx, name)
		if err != nil {
			return err
		}
		o := sluice.PolicyOwner{Kind: sluice.OwnerGroup, Name: g.Name}
		if us, err := x.GroupMembers(ctx, g.Name); err != nil || len(us) > 0 {
			return orConflict(err, "Cannot delete entity, must remove users from group first.")
		}
		if ps, err := x.InlinePolicies(ctx, o); err != nil || len(ps) > 0 {
			return orConflict(err, "Cannot delete entity, must delete policies first.")
		}
		if arns, err := x.AttachedPolicies(ctx, o); err != nil || len(arns) > 0 {
			return orConflict(err, "Cannot delete entity, must detach all policies first.")
		}
		return x.DeleteGroup(ctx, g.Name)
	})
}

// AddUserToGroup makes a user a member (at most ten groups per user).
func (s *Service) AddUserToGroup(ctx context.Context, c sluice.Caller, group, user string) error {
	if err := s.allow(ctx, c, "iam:AddUserToGroup", s.groupARNOf(ctx, group)); err != nil {
		return err
	}
	return s.inTx(ctx, func(x sluice.Executor) error {
		gs, err := x.GroupsOfUser(ctx, user)
		if err != nil {
			return err
		}
		for _, g := range gs {
			if strings.EqualFold(g.Name, group) {
				return nil
			}
		}
		if len(gs) >= sluice.MaxGroupsPerUser {
			return sluice.Errorf(sluice.ELimit, "Groups", "Cannot exceed quota for GroupsPerUser: %d", sluice.MaxGroupsPerUser)
		}
		return x.AddUserToGroup(ctx, group, user)
	})
}

// RemoveUserFromGroup ends a membership.
func (s *Service) RemoveUserFromGroup(ctx context.Context, c sluice.Caller, group, user string) error {
	if err := s.allow(ctx, c, "iam:RemoveUserFromGroup", s.groupARNOf(ctx, group)); err != nil {
		return err
	}
	return s.inTx(ctx, func(x sluice.Executor) error {
		if _, err := x.GetGroup(ctx, group); err != nil {
			return err
		}
		if _, err := x.GetUser(ctx, user); err != nil {
			return err
		}
		return x.RemoveUserFromGroup(ctx, group, user)
	})
}
