package service_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/service"
)

// iamSetup is a service whose calls are authorized by the IAM Authorizer over its store.
func iamSetup(t *testing.T) *bundle {
	b := setup(t)
	b.svc.Authz = &service.Authorizer{Store: b.db, Account: "123456789012", Region: "eu-west-1", Clock: fixedClock{}}
	return b
}

// userWith makes a user with a key and the given managed policies, and returns its caller.
func userWith(t *testing.T, b *bundle, name string, arns ...string) sluice.Caller {
	ctx := context.Background()
	u, err := b.svc.CreateUser(ctx, caller, name, "")
	require.NoError(t, err)
	k, err := b.svc.CreateAccessKey(ctx, caller, name)
	require.NoError(t, err)
	for _, arn := range arns {
		require.NoError(t, b.svc.AttachPolicy(ctx, caller, sluice.PolicyOwner{Kind: sluice.OwnerUser, Name: name}, arn))
	}
	return sluice.Caller{Principal: u.ARN, AccessKeyID: k.ID, SourceIP: "10.0.0.1"}
}

const (
	awsPolicy = "arn:aws:iam::aws:policy/"
	acctARN   = "arn:aws:iam::123456789012:"
)

func TestIAMUsers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	t.Run("CreateGetListDelete", func(t *testing.T) {
		t.Parallel()
		b := iamSetup(t)
		u, err := b.svc.CreateUser(ctx, caller, "alice", "/dev/")
		require.NoError(t, err)
		require.Equal(t, acctARN+"user/dev/alice", u.ARN)
		require.Regexp(t, `^AIDA[A-Z2-7]{17}$`, u.ID)
		got, err := b.svc.GetUser(ctx, caller, "alice")
		require.NoError(t, err)
		require.Equal(t, u, got)
		_, err = b.svc.CreateUser(ctx, caller, "Alice", "")
		require.Equal(t, sluice.EAlreadyExists, sluice.ErrorCode(err))
		me, err := b.svc.GetUser(ctx, caller, "")
		require.NoError(t, err)
		require.Equal(t, &sluice.User{ID: "123456789012", ARN: acctARN + "root"}, me)
		require.NoError(t, b.svc.DeleteUser(ctx, caller, "alice"))
		_, err = b.svc.GetUser(ctx, caller, "alice")
		require.EqualError(t, err, "The user with name alice cannot be found.")
	})
	t.Run("DeleteConflictWhileAnythingRemains", func(t *testing.T) {
		t.Parallel()
		b := iamSetup(t)
		userWith(t, b, "bob", awsPolicy+"AWSCodePipeline_ReadOnlyAccess")
		err := b.svc.DeleteUser(ctx, caller, "bob")
		require.EqualError(t, err, "Cannot delete entity, must delete access keys first.")
		keys, _, err := b.svc.ListAccessKeys(ctx, caller, "bob", service.IAMPage{})
		require.NoError(t, err)
		require.Empty(t, keys[0].Secret, "a listed key shows its secret")
		require.NoError(t, b.svc.DeleteAccessKey(ctx, caller, "bob", keys[0].ID))
		err = b.svc.DeleteUser(ctx, caller, "bob")
		require.EqualError(t, err, "Cannot delete entity, must detach all policies first.")
		require.Equal(t, sluice.EConflict, sluice.ErrorCode(err))
		bob := sluice.PolicyOwner{Kind: sluice.OwnerUser, Name: "bob"}
		require.NoError(t, b.svc.DetachPolicy(ctx, caller, bob, awsPolicy+"AWSCodePipeline_ReadOnlyAccess"))
		require.NoError(t, b.svc.DeleteUser(ctx, caller, "bob"))
	})
	t.Run("PagesByMarker", func(t *testing.T) {
		t.Parallel()
		b := iamSetup(t)
		for i := range 5 {
			_, err := b.svc.CreateUser(ctx, caller, fmt.Sprintf("u%d", i), "")
			require.NoError(t, err)
		}
		var names []string
		p := service.IAMPage{MaxItems: 2}
		for {
			users, marker, err := b.svc.ListUsers(ctx, caller, "/", p)
			require.NoError(t, err)
			for _, u := range users {
				names = append(names, u.Name)
			}
			if marker == "" {
				break
			}
			p.Marker = marker
		}
		require.Equal(t, []string{"u0", "u1", "u2", "u3", "u4"}, names)
		_, _, err := b.svc.ListUsers(ctx, caller, "", service.IAMPage{Marker: "!!"})
		require.Equal(t, sluice.EInvalid, sluice.ErrorCode(err))
	})
}

func TestIAMKeys(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	t.Run("TwoPerUser", func(t *testing.T) {
		t.Parallel()
		b := iamSetup(t)
		userWith(t, b, "bob")
		_, err := b.svc.CreateAccessKey(ctx, caller, "bob")
		require.NoError(t, err)
		_, err = b.svc.CreateAccessKey(ctx, caller, "bob")
		require.EqualError(t, err, "Cannot exceed quota for AccessKeysPerUser: 2")
	})
	t.Run("RootKeyRotationRetiresTheOld", func(t *testing.T) {
		t.Parallel()
		b := iamSetup(t)
		old := &sluice.AccessKey{ID: "AKIAOLDROOT", Secret: "s", Principal: acctARN + "root"}
		require.NoError(t, b.db.PutAccessKey(ctx, old))
		var told sluice.AccessKey
		b.svc.RootKeyRotated = func(k sluice.AccessKey) { told = k }
		k, err := b.svc.CreateAccessKey(ctx, caller, "")
		require.NoError(t, err)
		require.Equal(t, *k, told)
		got, err := b.db.GetAccessKey(ctx, old.ID)
		require.NoError(t, err)
		require.Equal(t, sluice.KeyRetired, got.Status)
		keys, _, err := b.svc.ListAccessKeys(ctx, caller, "", service.IAMPage{})
		require.NoError(t, err)
		require.Len(t, keys, 1)
		require.Equal(t, k.ID, keys[0].ID)
	})
	t.Run("OtherUsersKeyIsNotFound", func(t *testing.T) {
		t.Parallel()
		b := iamSetup(t)
		userWith(t, b, "bob")
		userWith(t, b, "carol")
		keys, _, err := b.svc.ListAccessKeys(ctx, caller, "carol", service.IAMPage{})
		require.NoError(t, err)
		err = b.svc.UpdateAccessKey(ctx, caller, "bob", keys[0].ID, sluice.KeyInactive)
		require.Equal(t, sluice.ENotFound, sluice.ErrorCode(err))
	})
}

func TestIAMPolicies(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	t.Run("MalformedChangesNothing", func(t *testing.T) {
		t.Parallel()
		b := iamSetup(t)
		userWith(t, b, "bob")
		bob := sluice.PolicyOwner{Kind: sluice.OwnerUser, Name: "bob"}
		err := b.svc.PutInlinePolicy(ctx, caller, bob, "p", `{"Statement":{"Effect":"Allow","Resource":"*"}}`)
		require.EqualError(t, err, "Policy statement must contain actions.")
		_, err = b.svc.GetInlinePolicy(ctx, caller, bob, "p")
		require.Equal(t, sluice.ENotFound, sluice.ErrorCode(err))
	})
	t.Run("InlineSizeQuota", func(t *testing.T) {
		t.Parallel()
		b := iamSetup(t)
		userWith(t, b, "bob")
		bob := sluice.PolicyOwner{Kind: sluice.OwnerUser, Name: "bob"}
		doc := func(n int) string {
			return fmt.Sprintf(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"codepipeline:%0*d","Resource":"*"}}`, n, 0)
		}
		require.NoError(t, b.svc.PutInlinePolicy(ctx, caller, bob, "a", doc(1000)))
		require.NoError(t, b.svc.PutInlinePolicy(ctx, caller, bob, "a", doc(1900))) // replaces itself
		err := b.svc.PutInlinePolicy(ctx, caller, bob, "b", doc(100))
		require.EqualError(t, err, "Maximum policy size of 2048 bytes exceeded for user bob")
	})
	t.Run("CreatePolicyNeedsVersion2012", func(t *testing.T) {
		t.Parallel()
		b := iamSetup(t)
		_, err := b.svc.CreatePolicy(ctx, caller, service.CreatePolicyParams{Name: "p", Document: `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`})
		require.EqualError(t, err, "Policy document must be version 2012-10-17 or greater.")
	})
	t.Run("AttachUnknownAWSPolicy", func(t *testing.T) {
		t.Parallel()
		b := iamSetup(t)
		userWith(t, b, "bob")
		err := b.svc.AttachPolicy(ctx, caller, sluice.PolicyOwner{Kind: sluice.OwnerUser, Name: "bob"}, awsPolicy+"AmazonS3FullAccess")
		require.EqualError(t, err, "Policy arn:aws:iam::aws:policy/AmazonS3FullAccess does not exist or is not attachable.")
	})
	t.Run("DeleteAttachedPolicyConflicts", func(t *testing.T) {
		t.Parallel()
		b := iamSetup(t)
		userWith(t, b, "bob")
		p, err := b.svc.CreatePolicy(ctx, caller, service.CreatePolicyParams{Name: "p", Path: "/team/",
			Document: `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`})
		require.NoError(t, err)
		require.Equal(t, acctARN+"policy/team/p", p.ARN)
		require.NoError(t, b.svc.AttachPolicy(ctx, caller, sluice.PolicyOwner{Kind: sluice.OwnerUser, Name: "bob"}, p.ARN))
		info, err := b.svc.GetPolicy(ctx, caller, p.ARN)
		require.NoError(t, err)
		require.Equal(t, 1, info.Attachments)
		require.EqualError(t, b.svc.DeletePolicy(ctx, caller, p.ARN), "Cannot delete a policy attached to entities.")
	})
}

func TestAuthorizer(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := iamSetup(t)
	ro := userWith(t, b, "reader", awsPolicy+"AWSCodePipeline_ReadOnlyAccess")
	nobody := userWith(t, b, "nobody")
	admin := userWith(t, b, "admin", awsPolicy+"AdministratorAccess")
	_, err := b.svc.CreateGroup(ctx, caller, "ops", "")
	require.NoError(t, err)
	require.NoError(t, b.svc.AddUserToGroup(ctx, caller, "ops", "admin"))
	require.NoError(t, b.svc.PutInlinePolicy(ctx, caller, sluice.PolicyOwner{Kind: sluice.OwnerGroup, Name: "ops"}, "no-prod",
		`{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"codepipeline:*","Resource":"arn:aws:codepipeline:eu-west-1:123456789012:prod"}}`))
	z := b.svc.Authz
	access := func(action, resource string) sluice.Access { return sluice.Access{Action: action, Resource: resource} }
	prod, dev := "arn:aws:codepipeline:eu-west-1:123456789012:prod", "arn:aws:codepipeline:eu-west-1:123456789012:dev"

	require.NoError(t, z.Authorize(ctx, caller, access("iam:DeleteUser", "*")), "the root is always allowed")
	require.NoError(t, z.Authorize(ctx, ro, access("codepipeline:GetPipeline", prod)))
	require.EqualError(t, z.Authorize(ctx, ro, access("codepipeline:StartPipelineExecution", prod)),
		"User: arn:aws:iam::123456789012:user/reader is not authorized to perform: codepipeline:StartPipelineExecution on resource: "+prod+
			" because no identity-based policy allows the codepipeline:StartPipelineExecution action")
	require.EqualError(t, z.Authorize(ctx, nobody, access("codepipeline:ListPipelines", "*")),
		"User: arn:aws:iam::123456789012:user/nobody is not authorized to perform: codepipeline:ListPipelines because no identity-based policy allows the codepipeline:ListPipelines action")
	require.NoError(t, z.Authorize(ctx, nobody, access("sts:GetCallerIdentity", "*")))
	require.NoError(t, z.Authorize(ctx, admin, access("codepipeline:StartPipelineExecution", dev)))
	err = z.Authorize(ctx, admin, access("codepipeline:StartPipelineExecution", prod))
	require.EqualError(t, err, "User: arn:aws:iam::123456789012:user/admin is not authorized to perform: codepipeline:StartPipelineExecution on resource: "+prod+
		" with an explicit deny in an identity-based policy")
	require.Equal(t, sluice.EAccessDenied, sluice.ErrorCode(err))
	// The IAM use cases ask too.
	_, err = b.svc.CreateUser(ctx, ro, "mallory", "")
	require.Equal(t, sluice.EAccessDenied, sluice.ErrorCode(err))
	_, err = b.svc.GetUser(ctx, caller, "mallory")
	require.Equal(t, sluice.ENotFound, sluice.ErrorCode(err), "a denied CreateUser created the user")
	// Leaving the group leaves its Deny behind.
	require.NoError(t, b.svc.RemoveUserFromGroup(ctx, caller, "ops", "admin"))
	require.NoError(t, z.Authorize(ctx, admin, access("codepipeline:StartPipelineExecution", prod)))
}

func TestWorkerLabelBinding(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := iamSetup(t)
	w := userWith(t, b, "worker-gpu", awsPolicy+"sluice/SluiceWorkerAccess")
	require.NoError(t, b.svc.PutInlinePolicy(ctx, caller, sluice.PolicyOwner{Kind: sluice.OwnerUser, Name: "worker-gpu"}, "labels",
		`{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"sluice:PollForWorkerJobs","Resource":"*",`+
			`"Condition":{"ForAnyValue:StringNotEquals":{"sluice:WorkerLabels":["gpu"]}}}}`))
	_, err := b.svc.PollForWorkerJobs(ctx, w, service.WorkerPollParams{Worker: "w", Labels: []string{"gpu", "arm"}})
	require.Equal(t, sluice.EAccessDenied, sluice.ErrorCode(err))
	require.ErrorContains(t, err, "with an explicit deny")
	err = b.svc.Authz.Authorize(sluice.WithConditionKeys(ctx, map[string][]string{"sluice:WorkerLabels": {"gpu"}}), w,
		sluice.Access{Action: "sluice:PollForWorkerJobs", Resource: "*"})
	require.NoError(t, err)
	err = b.svc.Authz.Authorize(ctx, w, sluice.Access{Action: "codepipeline:GetPipeline", Resource: "arn:aws:codepipeline:eu-west-1:123456789012:p"})
	require.Equal(t, sluice.EAccessDenied, sluice.ErrorCode(err), "a worker key reads pipelines")
}
