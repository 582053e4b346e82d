package query

import (
	"context"

	"sluice"
)

func (s *Server) createGroup(ctx context.Context, c *call) (any, error) {
	name, path := c.form.str("GroupName", true, entityName), c.form.str("Path", false, pathRule)
	if c.form.err != nil {
		return nil, c.form.err
	}
	g, err := s.Service.CreateGroup(ctx, c.caller, name, path)
	if err != nil {
		return nil, err
	}
	return struct{ Group xGroup }{xGroup{Path: g.Path, GroupName: g.Name, GroupID: g.ID, Arn: g.ARN, CreateDate: date(g.Created)}}, nil
}

func (s *Server) getGroup(ctx context.Context, c *call) (any, error) {
	name, p := c.form.str("GroupName", true, entityName), c.form.page()
	if c.form.err != nil {
		return nil, c.form.err
	}
	g, users, marker, err := s.Service.GetGroup(ctx, c.caller, name, p)
	if err != nil {
		return nil, err
	}
	return struct {
		Group xGroup
		Users members[xUser]
		listed
	}{xGroup{Path: g.Path, GroupName: g.Name, GroupID: g.ID, Arn: g.ARN, CreateDate: date(g.Created)}, usersOut(users), page(marker)}, nil
}

func (s *Server) listGroups(ctx context.Context, c *call) (any, error) {
	prefix, p := c.form.str("PathPrefix", false, pathPrefix), c.form.page()
	if c.form.err != nil {
		return nil, c.form.err
	}
	groups, marker, err := s.Service.ListGroups(ctx, c.caller, prefix, p)
	return groupsAnswer(groups, marker, err)
}

func (s *Server) listGroupsForUser(ctx context.Context, c *call) (any, error) {
	user, p := c.form.str("UserName", true, entityName), c.form.page()
	if c.form.err != nil {
		return nil, c.form.err
	}
	groups, marker, err := s.Service.ListGroupsForUser(ctx, c.caller, user, p)
	return groupsAnswer(groups, marker, err)
}

// groupsAnswer is the result of ListGroups and ListGroupsForUser: a page of groups.
func groupsAnswer(groups []*sluice.Group, marker string, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	return struct {
		Groups members[xGroup]
		listed
	}{groupsOut(groups), page(marker)}, nil
}

func (s *Server) deleteGroup(ctx context.Context, c *call) (any, error) {
	name := c.form.str("GroupName", true, entityName)
	if c.form.err != nil {
		return nil, c.form.err
	}
	return nil, s.Service.DeleteGroup(ctx, c.caller, name)
}

func (s *Server) addUserToGroup(ctx context.Context, c *call) (any, error) {
	group, user := c.form.str("GroupName", true, entityName), c.form.str("UserName", true, entityName)
	if c.form.err != nil {
		return nil, c.form.err
	}
	return nil, s.Service.AddUserToGroup(ctx, c.caller, group, user)
}

func (s *Server) removeUserFromGroup(ctx context.Context, c *call) (any, error) {
	group, user := c.form.str("GroupName", true, entityName), c.form.str("UserName", true, entityName)
	if c.form.err != nil {
		return nil, c.form.err
	}
	return nil, s.Service.RemoveUserFromGroup(ctx, c.caller, group, user)
}
