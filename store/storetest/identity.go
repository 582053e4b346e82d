package storetest

import (
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
)

const acct = "arn:aws:iam::123456789012:"

func user(name string, sec int) *sluice.User {
	return &sluice.User{Name: name, Path: "/", ID: "AIDA" + name, ARN: acct + "user/" + name, Created: at(sec)}
}

// testIdentity checks sluice.IdentityStore and the owner and status of KeyStore's keys.
func testIdentity(t *testing.T, open func(*testing.T) sluice.Store) {
	t.Run("Users", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		bob := user("bob", 1)
		require.NoError(t, f.s.CreateUser(f.ctx, bob))
		requireCode(t, f.s.CreateUser(f.ctx, user("BOB", 2)), sluice.EAlreadyExists, "User")
		got, err := f.s.GetUser(f.ctx, "Bob")
		require.NoError(t, err)
		require.Equal(t, bob, got)
		require.NoError(t, f.s.CreateUser(f.ctx, user("alice", 3)))
		list, err := f.s.ListUsers(f.ctx)
		require.NoError(t, err)
		require.Equal(t, []string{"alice", "bob"}, []string{list[0].Name, list[1].Name})
		require.NoError(t, f.s.DeleteUser(f.ctx, "bob"))
		_, err = f.s.GetUser(f.ctx, "bob")
		requireCode(t, err, sluice.ENotFound, "User")
		requireCode(t, f.s.DeleteUser(f.ctx, "bob"), sluice.ENotFound, "User")
	})
	t.Run("Groups", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		g := &sluice.Group{Name: "devs", Path: "/", ID: "AGPA1", ARN: acct + "group/devs", Created: at(1)}
		require.NoError(t, f.s.CreateGroup(f.ctx, g))
		requireCode(t, f.s.CreateGroup(f.ctx, &sluice.Group{Name: "Devs", Path: "/", ID: "AGPA2", ARN: acct + "group/Devs"}), sluice.EAlreadyExists, "Group")
		require.NoError(t, f.s.CreateUser(f.ctx, user("bob", 1)))
		requireCode(t, f.s.AddUserToGroup(f.ctx, "devs", "nobody"), sluice.ENotFound, "User")
		requireCode(t, f.s.AddUserToGroup(f.ctx, "ops", "bob"), sluice.ENotFound, "Group")
		require.NoError(t, f.s.AddUserToGroup(f.ctx, "devs", "bob"))
		require.NoError(t, f.s.AddUserToGroup(f.ctx, "DEVS", "Bob")) // again: no change
		members, err := f.s.GroupMembers(f.ctx, "devs")
		require.NoError(t, err)
		require.Len(t, members, 1)
		groups, err := f.s.GroupsOfUser(f.ctx, "bob")
		require.NoError(t, err)
		require.Equal(t, []*sluice.Group{g}, groups)
		require.NoError(t, f.s.RemoveUserFromGroup(f.ctx, "devs", "bob"))
		requireCode(t, f.s.RemoveUserFromGroup(f.ctx, "devs", "bob"), sluice.ENotFound, "Membership")
		groups, err = f.s.GroupsOfUser(f.ctx, "bob")
		require.NoError(t, err)
		require.Empty(t, groups)
		require.NoError(t, f.s.DeleteGroup(f.ctx, "devs"))
		requireCode(t, f.s.DeleteGroup(f.ctx, "devs"), sluice.ENotFound, "Group")
	})
	t.Run("InlinePolicies", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		bob := sluice.PolicyOwner{Kind: sluice.OwnerUser, Name: "bob"}
		requireCode(t, f.s.PutInlinePolicy(f.ctx, bob, sluice.InlinePolicy{Name: "p", Document: "{}"}), sluice.ENotFound, "User")
		require.NoError(t, f.s.CreateUser(f.ctx, user("bob", 1)))
		require.NoError(t, f.s.PutInlinePolicy(f.ctx, bob, sluice.InlinePolicy{Name: "p", Document: "{1}"}))
		require.NoError(t, f.s.PutInlinePolicy(f.ctx, bob, sluice.InlinePolicy{Name: "p", Document: "{2}"}))
		require.NoError(t, f.s.PutInlinePolicy(f.ctx, bob, sluice.InlinePolicy{Name: "a", Document: "{3}"}))
		got, err := f.s.GetInlinePolicy(f.ctx, bob, "p")
		require.NoError(t, err)
		require.Equal(t, "{2}", got.Document)
		list, err := f.s.InlinePolicies(f.ctx, bob)
		require.NoError(t, err)
		require.Equal(t, []sluice.InlinePolicy{{Name: "a", Document: "{3}"}, {Name: "p", Document: "{2}"}}, list)
		// A group of the same name has policies of its own.
		list, err = f.s.InlinePolicies(f.ctx, sluice.PolicyOwner{Kind: sluice.OwnerGroup, Name: "bob"})
		require.NoError(t, err)
		require.Empty(t, list)
		require.NoError(t, f.s.DeleteInlinePolicy(f.ctx, bob, "p"))
		requireCode(t, f.s.DeleteInlinePolicy(f.ctx, bob, "p"), sluice.ENotFound, "InlinePolicy")
		_, err = f.s.GetInlinePolicy(f.ctx, bob, "p")
		requireCode(t, err, sluice.ENotFound, "InlinePolicy")
	})
	t.Run("ManagedPoliciesAndAttachments", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		p := &sluice.ManagedPolicy{Name: "ro", Path: "/", ID: "ANPA1", ARN: acct + "policy/ro", DefaultVersion: "v1", Document: "{doc}", Created: at(1), Updated: at(1)}
		require.NoError(t, f.s.CreatePolicy(f.ctx, p))
		requireCode(t, f.s.CreatePolicy(f.ctx, &sluice.ManagedPolicy{Name: "ro", Path: "/x/", ID: "ANPA2", ARN: acct + "policy/x/ro", DefaultVersion: "v1"}), sluice.EAlreadyExists, "Policy")
		got, err := f.s.GetPolicy(f.ctx, p.ARN)
		require.NoError(t, err)
		require.Equal(t, p, got)
		v, err := f.s.GetPolicyVersion(f.ctx, p.ARN, "v1")
		require.NoError(t, err)
		require.Equal(t, &sluice.PolicyVersion{PolicyARN: p.ARN, VersionID: "v1", Document: "{doc}", Default: true, Created: at(1)}, v)
		_, err = f.s.GetPolicyVersion(f.ctx, p.ARN, "v2")
		requireCode(t, err, sluice.ENotFound, "PolicyVersion")
		_, err = f.s.GetPolicyVersion(f.ctx, acct+"policy/none", "v1")
		requireCode(t, err, sluice.ENotFound, "Policy")

		bob := sluice.PolicyOwner{Kind: sluice.OwnerUser, Name: "bob"}
		requireCode(t, f.s.AttachPolicy(f.ctx, bob, p.ARN), sluice.ENotFound, "User")
		require.NoError(t, f.s.CreateUser(f.ctx, user("bob", 1)))
		require.NoError(t, f.s.AttachPolicy(f.ctx, bob, p.ARN))
		require.NoError(t, f.s.AttachPolicy(f.ctx, bob, p.ARN))
		require.NoError(t, f.s.AttachPolicy(f.ctx, bob, "arn:aws:iam::aws:policy/AdministratorAccess"))
		arns, err := f.s.AttachedPolicies(f.ctx, bob)
		require.NoError(t, err)
		require.Equal(t, []string{p.ARN, "arn:aws:iam::aws:policy/AdministratorAccess"}, arns)
		n, err := f.s.PolicyAttachments(f.ctx, p.ARN)
		require.NoError(t, err)
		require.Equal(t, 1, n)
		require.NoError(t, f.s.DetachPolicy(f.ctx, bob, p.ARN))
		requireCode(t, f.s.DetachPolicy(f.ctx, bob, p.ARN), sluice.ENotFound, "Attachment")
		require.NoError(t, f.s.DeletePolicy(f.ctx, p.ARN))
		_, err = f.s.GetPolicy(f.ctx, p.ARN)
		requireCode(t, err, sluice.ENotFound, "Policy")
		requireCode(t, f.s.DeletePolicy(f.ctx, p.ARN), sluice.ENotFound, "Policy")
	})
	t.Run("AccessKeyOwnersAndStatus", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		root := acct + "root"
		keys := []*sluice.AccessKey{
			{ID: "AKIAROOT1", Secret: "r1", Principal: root, Created: at(1)},
			{ID: "AKIABOB1", Secret: "b1", Principal: acct + "user/bob", UserName: "bob", Created: at(2)},
			{ID: "AKIABOB2", Secret: "b2", Principal: acct + "user/bob", UserName: "bob", Created: at(3), Status: sluice.KeyInactive},
			{ID: "AKIAROOT2", Secret: "r2", Principal: root, Created: at(4)},
		}
		for _, k := range keys {
			require.NoError(t, f.s.PutAccessKey(f.ctx, k))
		}
		require.Equal(t, sluice.KeyActive, keys[0].Status)
		bobs, err := f.s.UserAccessKeys(f.ctx, "bob")
		require.NoError(t, err)
		require.Equal(t, keys[1:3], bobs)
		require.NoError(t, f.s.SetAccessKeyStatus(f.ctx, "AKIABOB1", sluice.KeyInactive))
		got, err := f.s.GetAccessKey(f.ctx, "AKIABOB1")
		require.NoError(t, err)
		require.Equal(t, sluice.KeyInactive, got.Status)
		requireCode(t, f.s.SetAccessKeyStatus(f.ctx, "AKIANONE", sluice.KeyActive), sluice.ENotFound, "AccessKey")
		require.NoError(t, f.s.DeleteAccessKey(f.ctx, "AKIABOB1"))
		_, err = f.s.GetAccessKey(f.ctx, "AKIABOB1")
		requireCode(t, err, sluice.ENotFound, "AccessKey")
		requireCode(t, f.s.DeleteAccessKey(f.ctx, "AKIABOB1"), sluice.ENotFound, "AccessKey")

		require.NoError(t, f.s.RetireRootKeys(f.ctx, "AKIAROOT2"))
		got, err = f.s.GetAccessKey(f.ctx, "AKIAROOT1")
		require.NoError(t, err)
		require.Equal(t, sluice.KeyRetired, got.Status)
		roots, err := f.s.UserAccessKeys(f.ctx, sluice.RootUserName)
		require.NoError(t, err)
		require.Equal(t, []*sluice.AccessKey{keys[3]}, roots)
		got, err = f.s.GetAccessKey(f.ctx, "AKIABOB2") // a user's key is no root key
		require.NoError(t, err)
		require.Equal(t, sluice.KeyInactive, got.Status)
	})
}
