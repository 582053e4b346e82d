package service

import (
	"context"
	"strings"

	"sluice"
)

// CreateUser makes an IAM user at path ("" is "/"), with no keys and no policies.
func (s *Service) CreateUser(ctx context.Context, c sluice.Caller, name, path string) (*sluice.User, error) {
	if path == "" {
		path = "/"
	}
	u := &sluice.User{Name: name, Path: path, ID: uniqueID("AIDA"), ARN: s.iamARN(sluice.UserARN, path, name), Created: s.Now()}
	if err := s.allow(ctx, c, "iam:CreateUser", u.ARN); err != nil {
		return nil, err
	}
	return u, s.inTx(ctx, func(x sluice.Executor) error {
		all, err := x.ListUsers(ctx)
		if err != nil {
			return err
		}
		if len(all) >= sluice.MaxUsers {
			return sluice.Errorf(sluice.ELimit, "Users", "Cannot exceed quota for UsersPerAccount: %d", sluice.MaxUsers)
		}
		return x.CreateUser(ctx, u)
	})
}

// GetUser returns the named user; name "" is the caller (the root, by the account's id).
func (s *Service) GetUser(ctx context.Context, c sluice.Caller, name string) (*sluice.User, error) {
	if name == "" {
		if s.isRoot(c) {
			if err := s.allow(ctx, c, "iam:GetUser", c.Principal); err != nil {
				return nil, err
			}
			return &sluice.User{ID: s.Account(), ARN: c.Principal}, nil
		}
		name = s.callerUserName(c)
	}
	if err := s.allow(ctx, c, "iam:GetUser", s.userARNOf(ctx, name)); err != nil {
		return nil, err
	}
	return s.Store.GetUser(ctx, name)
}

// userARNOf is the ARN a user's operations are asked on: the stored user's, which carries
// its path, or, for a user that does not exist, the ARN at path "/".
func (s *Service) userARNOf(ctx context.Context, name string) string {
	if u, err := s.Store.GetUser(ctx, name); err == nil {
		return u.ARN
	}
	return s.iamARN(sluice.UserARN, "/", name)
}

// ListUsers lists the users whose path starts with pathPrefix ("" or "/": all).
func (s *Service) ListUsers(ctx context.Context, c sluice.Caller, pathPrefix string, p IAMPage) ([]*sluice.User, string, error) {
	if err := s.allow(ctx, c, "iam:ListUsers", "*"); err != nil {
		return nil, "", err
	}
	all, err := s.Store.ListUsers(ctx)
	if err != nil {
		return nil, "", err
	}
	var users []*sluice.User
	for _, u := range all {
		if strings.HasPrefix(u.Path, pathPrefix) {
			users = append(users, u)
		}
	}
	return pageOf(users, func(u *sluice.User) string { return u.Name }, p)
}

// DeleteUser removes a user that has no access keys, policies or groups left (IAM never
// deletes them with it: DeleteConflict names what is left).
func (s *Service) DeleteUser(ctx context.Context, c sluice.Caller, name string) error {
	if err := s.allow(ctx, c, "iam:DeleteUser", s.userARNOf(ctx, name)); err != nil {
		return err
	}
	return s.inTx(ctx, func(x sluice.Executor) error {
		u, err := x.GetUser(ctx, name)
		if err != nil {
			return err
		}
		o := sluice.PolicyOwner{Kind: sluice.OwnerUser, Name: u.Name}
		if keys, err := x.UserAccessKeys(ctx, u.Name); err != nil || len(keys) > 0 {
			return orConflict(err, "Cannot delete entity, must delete access keys first.")
		}
		if ps, err := x.InlinePolicies(ctx, o); err != nil || len(ps) > 0 {
			return orConflict(err, "Cannot delete entity, must delete policies first.")
		}
		if arns, err := x.AttachedPolicies(ctx, o); err != nil || len(arns) > 0 {
			return orConflict(err, "Cannot delete entity, must detach all policies first.")
		}
		if gs, err := x.GroupsOfUser(ctx, u.Name); err != nil || len(gs) > 0 {
			return orConflict(err, "Cannot delete entity, must remove users from group first.")
		}
		return x.DeleteUser(ctx, u.Name)
	})
}

// orConflict is err, or else IAM's DeleteConflict with msg.
func orConflict(err error, msg string) error {
	if err != nil {
		return err
	}
	return sluice.Errorf(sluice.EConflict, "DeleteConflict", "%s", msg)
}

// CallerIdentity is what STS GetCallerIdentity answers: the caller's unique id, ARN and
// account. It needs no permission (AWS never denies it).
func (s *Service) CallerIdentity(ctx context.Context, c sluice.Caller) (userID, arn, account string, err error) {
	if s.isRoot(c) {
		return s.Account(), c.Principal, s.Account(), nil
	}
	if name := s.callerUserName(c); name != "" {
		u, err := s.Store.GetUser(ctx, name)
		if err != nil {
			return "", "", "", err
		}
		return u.ID, u.ARN, s.Account(), nil
	}
	return c.Principal, c.Principal, s.Account(), nil
}
