package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"sluice"
)

// Users and groups have the same columns; their tables and queries differ only by name.
const (
	principalCols = `name, path, id, arn, created`
	qInsertUser   = `INSERT INTO iam_users (` + principalCols + `) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`
	qUser         = `SELECT ` + principalCols + ` FROM iam_users WHERE name = ?`
	qUsers        = `SELECT ` + principalCols + ` FROM iam_users ORDER BY name`
	qDeleteUser   = `DELETE FROM iam_users WHERE name = ?`
	qInsertGroup  = `INSERT INTO iam_groups (` + principalCols + `) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`
	qGroup        = `SELECT ` + principalCols + ` FROM iam_groups WHERE name = ?`
	qGroups       = `SELECT ` + principalCols + ` FROM iam_groups ORDER BY name`
	qDeleteGroup  = `DELETE FROM iam_groups WHERE name = ?`
	qAddMember    = `INSERT INTO iam_group_members (group_name, user_name) VALUES (?, ?) ON CONFLICT DO NOTHING`
	qRemoveMember = `DELETE FROM iam_group_members WHERE group_name = ? AND user_name = ?`
	qGroupMembers = `SELECT u.name, u.path, u.id, u.arn, u.created FROM iam_users u JOIN iam_group_members m ON m.user_name = u.name WHERE m.group_name = ? ORDER BY u.name`
	qGroupsOfUser = `SELECT g.name, g.path, g.id, g.arn, g.created FROM iam_groups g JOIN iam_group_members m ON m.group_name = g.name WHERE m.user_name = ? ORDER BY g.name`
)

func scanUser(sc scanner) (*sluice.User, error) {
	var (
		u       sluice.User
		created int64
	)
	if err := sc.Scan(&u.Name, &u.Path, &u.ID, &u.ARN, &created); err != nil {
		return nil, err
	}
	u.Created = tm(created)
	return &u, nil
}

func scanGroup(sc scanner) (*sluice.Group, error) {
	u, err := scanUser(sc)
	if err != nil {
		return nil, err
	}
	g := sluice.Group(*u)
	return &g, nil
}

func userNotFound(name string) error {
	return sluice.Errorf(sluice.ENotFound, "User", "The user with name %s cannot be found.", name)
}

func groupNotFound(name string) error {
	return sluice.Errorf(sluice.ENotFound, "Group", "The group with name %s cannot be found.", name)
}

// CreateUser stores u (EAlreadyExists/User when the name is taken, in any case).
func (e executor) CreateUser(ctx context.Context, u *sluice.User) error {
	ok, err := e.wr().execOne(ctx, qInsertUser, u.Name, u.Path, u.ID, u.ARN, ts(u.Created))
	if err != nil || ok {
		return err
	}
	return sluice.Errorf(sluice.EAlreadyExists, "User", "User with name %s already exists.", u.Name)
}

// GetUser returns the named user (ENotFound/User).
func (e executor) GetUser(ctx context.Context, name string) (*sluice.User, error) {
	u, err := scanUser(e.rd().queryRow(ctx, qUser, name))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, userNotFound(name)
	}
	return u, err
}

// ListUsers returns every user by name.
func (e executor) ListUsers(ctx context.Context) ([]*sluice.User, error) {
	return queryAll(ctx, e.rd(), scanUser, qUsers)
}

// DeleteUser removes the named user (ENotFound/User).
func (e executor) DeleteUser(ctx context.Context, name string) error {
	ok, err := e.wr().execOne(ctx, qDeleteUser, name)
	if err != nil || ok {
		return err
	}
	return userNotFound(name)
}

// CreateGroup stores g (EAlreadyExists/Group).
func (e executor) CreateGroup(ctx context.Context, g *sluice.Group) error {
	ok, err := e.wr().execOne(ctx, qInsertGroup, g.Name, g.Path, g.ID, g.ARN, ts(g.Created))
	if err != nil || ok {
		return err
	}
	return sluice.Errorf(sluice.EAlreadyExists, "Group", "Group with name %s already exists.", g.Name)
}

// GetGroup returns the named group (ENotFound/Group).
func (e executor) GetGroup(ctx context.Context, name string) (*sluice.Group, error) {
	g, err := scanGroup(e.rd().queryRow(ctx, qGroup, name))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, groupNotFound(name)
	}
	return g, err
}

// ListGroups returns every group by name.
func (e executor) ListGroups(ctx context.Context) ([]*sluice.Group, error) {
	return queryAll(ctx, e.rd(), scanGroup, qGroups)
}

// DeleteGroup removes the named group (ENotFound/Group).
func (e executor) DeleteGroup(ctx context.Context, name string) error {
	ok, err := e.wr().execOne(ctx, qDeleteGroup, name)
	if err != nil || ok {
		return err
	}
	return groupNotFound(name)
}

// AddUserToGroup makes user a member of group (both must exist).
func (e executor) AddUserToGroup(ctx context.Context, group, user string) error {
	return e.write(ctx, func(c conn) error {
		in := executor{db: e.db, in: &txState{c: c}}
		g, err := in.GetGroup(ctx, group)
		if err != nil {
			return err
		}
		u, err := in.GetUser(ctx, user)
		if err != nil {
			return err
		}
		_, err = c.exec(ctx, qAddMember, g.Name, u.Name)
		return err
	})
}

// RemoveUserFromGroup ends a membership (ENotFound/Membership).
func (e executor) RemoveUserFromGroup(ctx context.Context, group, user string) error {
	ok, err := e.wr().execOne(ctx, qRemoveMember, group, user)
	if err != nil || ok {
		return err
	}
	return sluice.Errorf(sluice.ENotFound, "Membership", "The user with name %s is not in the group with name %s.", user, group)
}

// GroupMembers returns the users of group by name.
func (e executor) GroupMembers(ctx context.Context, group string) ([]*sluice.User, error) {
	return queryAll(ctx, e.rd(), scanUser, qGroupMembers, group)
}

// GroupsOfUser returns the groups of user by name.
func (e executor) GroupsOfUser(ctx context.Context, user string) ([]*sluice.Group, error) {
	return queryAll(ctx, e.rd(), scanGroup, qGroupsOfUser, user)
}

// ownerExists checks that a policy owner exists (ENotFound/User or Group).
func (e executor) ownerExists(ctx context.Context, o sluice.PolicyOwner) (string, error) {
	if o.Kind == sluice.OwnerGroup {
		g, err := e.GetGroup(ctx, o.Name)
		if err != nil {
			return "", err
		}
		return g.Name, nil
	}
	u, err := e.GetUser(ctx, o.Name)
	if err != nil {
		return "", err
	}
	return u.Name, nil
}
