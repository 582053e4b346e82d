package query

import (
	"context"

	"sluice"
)

func (s *Server) iamOps() map[string]handler {
	return map[string]handler{
		"CreateUser": s.createUser, "GetUser": s.getUser, "ListUsers": s.listUsers, "DeleteUser": s.deleteUser,
		"CreateAccessKey": s.createAccessKey, "ListAccessKeys": s.listAccessKeys,
		"UpdateAccessKey": s.updateAccessKey, "DeleteAccessKey": s.deleteAccessKey,
		"CreateGroup": s.createGroup, "GetGroup": s.getGroup, "ListGroups": s.listGroups, "DeleteGroup": s.deleteGroup,
		"AddUserToGroup": s.addUserToGroup, "RemoveUserFromGroup": s.removeUserFromGroup, "ListGroupsForUser": s.listGroupsForUser,
		"PutUserPolicy": s.putPolicy(sluice.OwnerUser), "GetUserPolicy": s.getPolicy(sluice.OwnerUser),
		"ListUserPolicies": s.listPolicies(sluice.OwnerUser), "DeleteUserPolicy": s.deletePolicy(sluice.OwnerUser),
		"PutGroupPolicy": s.putPolicy(sluice.OwnerGroup), "GetGroupPolicy": s.getPolicy(sluice.OwnerGroup),
		"ListGroupPolicies": s.listPolicies(sluice.OwnerGroup), "DeleteGroupPolicy": s.deletePolicy(sluice.OwnerGroup),
		"CreatePolicy": s.createManaged, "GetPolicy": s.getManaged, "GetPolicyVersion": s.getPolicyVersion,
		"ListPolicies": s.listManaged, "DeletePolicy": s.deleteManaged,
		"AttachUserPolicy": s.attach(sluice.OwnerUser), "DetachUserPolicy": s.detach(sluice.OwnerUser),
		"AttachGroupPolicy": s.attach(sluice.OwnerGroup), "DetachGroupPolicy": s.detach(sluice.OwnerGroup),
		"ListAttachedUserPolicies": s.listAttached(sluice.OwnerUser), "ListAttachedGroupPolicies": s.listAttached(sluice.OwnerGroup),
	}
}

func (s *Server) createUser(ctx context.Context, c *call) (any, error) {
	name, path := c.form.str("UserName", true, newUserName), c.form.str("Path", false, pathRule)
	if c.form.err != nil {
		return nil, c.form.err
	}
	u, err := s.Service.CreateUser(ctx, c.caller, name, path)
	if err != nil {
		return nil, err
	}
	return struct{ User xUser }{userOut(u)}, nil
}

func (s *Server) getUser(ctx context.Context, c *call) (any, error) {
	name := c.form.str("UserName", false, entityName)
	if c.form.err != nil {
		return nil, c.form.err
	}
	u, err := s.Service.GetUser(ctx, c.caller, name)
	if err != nil {
		return nil, err
	}
	return struct{ User xUser }{userOut(u)}, nil
}

func (s *Server) listUsers(ctx context.Context, c *call) (any, error) {
	prefix, p := c.form.str("PathPrefix", false, pathPrefix), c.form.page()
	if c.form.err != nil {
		return nil, c.form.err
	}
	users, marker, err := s.Service.ListUsers(ctx, c.caller, prefix, p)
	if err != nil {
		return nil, err
	}
	return struct {
		Users members[xUser]
		listed
	}{usersOut(users), page(marker)}, nil
}

func (s *Server) deleteUser(ctx context.Context, c *call) (any, error) {
	name := c.form.str("UserName", true, entityName)
	if c.form.err != nil {
		return nil, c.form.err
	}
	return nil, s.Service.DeleteUser(ctx, c.caller, name)
}

func (s *Server) createAccessKey(ctx context.Context, c *call) (any, error) {
	name := c.form.str("UserName", false, entityName)
	if c.form.err != nil {
		return nil, c.form.err
	}
	k, err := s.Service.CreateAccessKey(ctx, c.caller, name)
	if err != nil {
		return nil, err
	}
	return struct{ AccessKey xAccessKey }{keyOut(k)}, nil
}

func (s *Server) listAccessKeys(ctx context.Context, c *call) (any, error) {
	name, p := c.form.str("UserName", false, entityName), c.form.page()
	if c.form.err != nil {
		return nil, c.form.err
	}
	keys, marker, err := s.Service.ListAccessKeys(ctx, c.caller, name, p)
	if err != nil {
		return nil, err
	}
	out := members[xAccessKey]{}
	for _, k := range keys {
		out = append(out, keyOut(k))
	}
	return struct {
		AccessKeyMetadata members[xAccessKey]
		listed
	}{out, page(marker)}, nil
}

func (s *Server) updateAccessKey(ctx context.Context, c *call) (any, error) {
	name, id := c.form.str("UserName", false, entityName), c.form.str("AccessKeyId", true, accessKeyID)
	status := c.form.enum("Status", true, string(sluice.KeyActive), string(sluice.KeyInactive))
	if c.form.err != nil {
		return nil, c.form.err
	}
	return nil, s.Service.UpdateAccessKey(ctx, c.caller, name, id, sluice.KeyStatus(status))
}

func (s *Server) deleteAccessKey(ctx context.Context, c *call) (any, error) {
	name, id := c.form.str("UserName", false, entityName), c.form.str("AccessKeyId", true, accessKeyID)
	if c.form.err != nil {
		return nil, c.form.err
	}
	return nil, s.Service.DeleteAccessKey(ctx, c.caller, name, id)
}

func (s *Server) stsOps() map[string]handler {
	return map[string]handler{"GetCallerIdentity": s.getCallerIdentity}
}

func (s *Server) getCallerIdentity(ctx context.Context, c *call) (any, error) {
	userID, arn, account, err := s.Service.CallerIdentity(ctx, c.caller)
	if err != nil {
		return nil, err
	}
	return struct {
		UserID  string `xml:"UserId"`
		Account string
		Arn     string
	}{userID, account, arn}, nil
}
