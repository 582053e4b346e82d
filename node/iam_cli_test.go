package node_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codecommit"
	"github.com/stretchr/testify/require"

	"sluice/config"
	"sluice/node"
	"sluice/node/nodetest"
)

// iamCLI runs the real AWS CLI against a server, signed with a key.
type iamCLI struct {
	t   *testing.T
	url string
}

func requireAWSCLI(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("aws"); err != nil {
		if os.Getenv("SLUICE_REQUIRE_AWSCLI") != "" {
			t.Fatal("the AWS CLI is required (SLUICE_REQUIRE_AWSCLI is set) but not installed")
		}
		t.Skip("the AWS CLI is not installed")
	}
}

// run returns the command's output and whether it succeeded.
func (a iamCLI) run(id, secret string, args ...string) (string, bool) {
	a.t.Helper()
	cmd := exec.Command("aws", append(args, "--endpoint-url", a.url, "--output", "json")...)
	cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID="+id, "AWS_SECRET_ACCESS_KEY="+secret, "AWS_DEFAULT_REGION=eu-west-1",
		"AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_PAGER=", "AWS_MAX_ATTEMPTS=1")
	out, err := cmd.CombinedOutput()
	return string(out), err == nil
}

// ok runs a command that must succeed and decodes its JSON output into v (when not nil).
func (a iamCLI) ok(id, secret string, v any, args ...string) {
	a.t.Helper()
	out, ok := a.run(id, secret, args...)
	require.True(a.t, ok, "aws %s: %s", strings.Join(args, " "), out)
	if v != nil {
		require.NoError(a.t, json.Unmarshal([]byte(out), v), out)
	}
}

// fails runs a command that must fail with an output containing each of want.
func (a iamCLI) fails(id, secret string, want []string, args ...string) {
	a.t.Helper()
	out, ok := a.run(id, secret, args...)
	require.False(a.t, ok, "aws %s succeeded: %s", strings.Join(args, " "), out)
	for _, w := range want {
		require.Contains(a.t, out, w)
	}
}

type cliKey struct {
	AccessKey struct{ UserName, AccessKeyId, SecretAccessKey, Status string }
}

type cliIdentity struct{ UserId, Account, Arn string }

// TestIAMWithTheAWSCLI drives users, keys and policies with `aws iam` and `aws sts`, as the
// root and as a user, and checks that a key made inactive or deleted is refused at once.
func TestIAMWithTheAWSCLI(t *testing.T) {
	t.Parallel()
	requireAWSCLI(t)
	b := nodetest.Setup(t)
	cli := iamCLI{t, b.URL}
	root, secret := nodetest.KeyID, nodetest.Secret
	acct := b.Node.Config.Account

	var id cliIdentity
	cli.ok(root, secret, &id, "sts", "get-caller-identity")
	require.Equal(t, cliIdentity{UserId: acct, Account: acct, Arn: "arn:aws:iam::" + acct + ":root"}, id)

	var user struct {
		User struct{ UserName, UserId, Arn, Path, CreateDate string }
	}
	cli.ok(root, secret, &user, "iam", "create-user", "--user-name", "alice", "--path", "/dev/")
	require.Equal(t, "arn:aws:iam::"+acct+":user/dev/alice", user.User.Arn)
	require.True(t, strings.HasPrefix(user.User.UserId, "AIDA"), user.User.UserId)
	var key cliKey
	cli.ok(root, secret, &key, "iam", "create-access-key", "--user-name", "alice")
	require.Equal(t, "Active", key.AccessKey.Status)
	require.Len(t, key.AccessKey.SecretAccessKey, 40)
	kid, ksecret := key.AccessKey.AccessKeyId, key.AccessKey.SecretAccessKey
	cli.ok(root, secret, nil, "iam", "attach-user-policy", "--user-name", "alice",
		"--policy-arn", "arn:aws:iam::aws:policy/AWSCodePipeline_ReadOnlyAccess")

	var users struct{ Users []struct{ UserName string } }
	cli.ok(root, secret, &users, "iam", "list-users")
	require.Len(t, users.Users, 1)
	var attached struct {
		AttachedPolicies []struct{ PolicyName, PolicyArn string }
	}
	cli.ok(root, secret, &attached, "iam", "list-attached-user-policies", "--user-name", "alice")
	require.Equal(t, "AWSCodePipeline_ReadOnlyAccess", attached.AttachedPolicies[0].PolicyName)
	var keys struct{ AccessKeyMetadata []map[string]string }
	cli.ok(root, secret, &keys, "iam", "list-access-keys", "--user-name", "alice")
	require.Len(t, keys.AccessKeyMetadata, 1)
	require.NotContains(t, keys.AccessKeyMetadata[0], "SecretAccessKey", "a listed key shows its secret")

	// An inline policy comes back as the CLI decodes it: a document, not a string.
	doc := `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "iam:GetUser", "Resource": "arn:aws:iam::*:user/dev/${aws:username}"}}`
	cli.ok(root, secret, nil, "iam", "put-user-policy", "--user-name", "alice", "--policy-name", "self", "--policy-document", doc)
	var got struct {
		PolicyDocument map[string]any
	}
	cli.ok(root, secret, &got, "iam", "get-user-policy", "--user-name", "alice", "--policy-name", "self")
	require.Equal(t, "2012-10-17", got.PolicyDocument["Version"])

	// The user: who am I, what may I do.
	cli.ok(kid, ksecret, &id, "sts", "get-caller-identity")
	require.Equal(t, cliIdentity{UserId: user.User.UserId, Account: acct, Arn: user.User.Arn}, id)
	cli.ok(kid, ksecret, &user, "iam", "get-user")
	require.Equal(t, "alice", user.User.UserName)
	cli.fails(kid, ksecret, []string{"AccessDenied", "User: " + user.User.Arn + " is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::" + acct + ":user/mallory"},
		"iam", "create-user", "--user-name", "mallory")

	cli.ok(root, secret, nil, "iam", "update-access-key", "--user-name", "alice", "--access-key-id", kid, "--status", "Inactive")
	cli.fails(kid, ksecret, []string{"InvalidClientTokenId"}, "sts", "get-caller-identity")
	cli.ok(root, secret, nil, "iam", "update-access-key", "--user-name", "alice", "--access-key-id", kid, "--status", "Active")
	cli.ok(kid, ksecret, nil, "sts", "get-caller-identity")
	cli.fails(root, secret, []string{"DeleteConflict", "must delete access keys first"}, "iam", "delete-user", "--user-name", "alice")
	cli.ok(root, secret, nil, "iam", "delete-access-key", "--user-name", "alice", "--access-key-id", kid)
	cli.fails(kid, ksecret, []string{"InvalidClientTokenId"}, "sts", "get-caller-identity")
}

// TestIAMBadInputWithTheAWSCLI: bad input gets the model's error, naming what is wrong, and
// changes nothing.
func TestIAMBadInputWithTheAWSCLI(t *testing.T) {
	t.Parallel()
	requireAWSCLI(t)
	b := nodetest.Setup(t)
	cli := iamCLI{t, b.URL}
	root, secret := nodetest.KeyID, nodetest.Secret
	cli.ok(root, secret, nil, "iam", "create-user", "--user-name", "bob")
	cli.fails(root, secret, []string{"(MalformedPolicyDocument)", "Policy statement must contain actions."},
		"iam", "put-user-policy", "--user-name", "bob", "--policy-name", "p",
		"--policy-document", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Resource":"*"}}`)
	cli.fails(root, secret, []string{"(MalformedPolicyDocument)", `Condition operator "StringSortOf" is not supported.`},
		"iam", "create-policy", "--policy-name", "p",
		"--policy-document", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringSortOf":{"aws:username":"a"}}}}`)
	var names struct{ PolicyNames []string }
	cli.ok(root, secret, &names, "iam", "list-user-policies", "--user-name", "bob")
	require.Empty(t, names.PolicyNames)
	cli.fails(root, secret, []string{"(NoSuchEntity)", "The user with name ghost cannot be found."}, "iam", "get-user", "--user-name", "ghost")
	cli.fails(root, secret, []string{"(ValidationError)", "at 'userName' failed to satisfy constraint"}, "iam", "create-user", "--user-name", "a b")
	cli.fails(root, secret, []string{"(EntityAlreadyExists)", "User with name BOB already exists."}, "iam", "create-user", "--user-name", "BOB")
	cli.fails(root, secret, []string{"(NoSuchEntity)", "Policy arn:aws:iam::aws:policy/AmazonS3FullAccess does not exist or is not attachable."},
		"iam", "attach-user-policy", "--user-name", "bob", "--policy-arn", "arn:aws:iam::aws:policy/AmazonS3FullAccess")
}

// TestRootKeyRotation: a new root key replaces the old one, whose secret is refused from the
// next request on: through `aws iam create-access-key` by the root, and when the server
// restarts with another configured key. A server configured with a replaced key refuses to
// start.
func TestRootKeyRotation(t *testing.T) {
	t.Parallel()
	requireAWSCLI(t)
	b := nodetest.Setup(t)
	cli := iamCLI{t, b.URL}
	_, err := b.CC.CreateRepository(context.Background(), &codecommit.CreateRepositoryInput{RepositoryName: aws.String("r")})
	require.NoError(t, err)
	lsRemote := func(id, secret string) error {
		cmd := exec.Command("git", "ls-remote", strings.Replace(b.URL, "http://", "http://"+id+":"+secret+"@", 1)+"/v1/repos/r")
		cmd.Env = nodetest.GitEnv(t)
		return cmd.Run()
	}
	require.NoError(t, lsRemote(nodetest.KeyID, nodetest.Secret))
	var key cliKey
	cli.ok(nodetest.KeyID, nodetest.Secret, &key, "iam", "create-access-key")
	newID, newSecret := key.AccessKey.AccessKeyId, key.AccessKey.SecretAccessKey
	cli.fails(nodetest.KeyID, nodetest.Secret, []string{"InvalidClientTokenId"}, "sts", "get-caller-identity")
	require.Error(t, lsRemote(nodetest.KeyID, nodetest.Secret), "git took the replaced root key")
	require.NoError(t, lsRemote(newID, newSecret))
	var id cliIdentity
	cli.ok(newID, newSecret, &id, "sts", "get-caller-identity")
	require.Equal(t, "arn:aws:iam::"+b.Node.Config.Account+":root", id.Arn)

	// Restarting with the replaced key configured is refused, with a reason.
	cfg := b.Node.Config
	require.NoError(t, b.Node.Close())
	_, err = node.New(context.Background(), cfg, b.Node.Options)
	require.ErrorContains(t, err, "was replaced by a newer one")

	// Restarting with another key replaces the rotated one in turn.
	cfg.AccessKeyID, cfg.SecretAccessKey = "AKIAROTATEDROOT00002", "another-root-secret-0000000000000000000"
	m, err := node.New(context.Background(), cfg, b.Node.Options)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, m.Close()) })
	cli.url = m.URL()
	cli.fails(newID, newSecret, []string{"InvalidClientTokenId"}, "sts", "get-caller-identity")
	cli.ok(cfg.AccessKeyID, cfg.SecretAccessKey, &id, "sts", "get-caller-identity")
	require.Equal(t, "arn:aws:iam::"+cfg.Account+":root", id.Arn)
}

// TestPolicyEffectsWithTheAWSCLI: users made with `aws iam` get what their policies say on
// CodePipeline and git: the read-only policy lists and gets but cannot start or push, the
// approver approves and does nothing else, and a Deny on one pipeline wins over
// AdministratorAccess.
func TestPolicyEffectsWithTheAWSCLI(t *testing.T) {
	t.Parallel()
	requireAWSCLI(t)
	b := nodetest.Setup(t)
	b.SeedRepo(t, nodetest.SrcRepo)
	for _, name := range []string{"prod", "dev"} {
		b.Create(t, nodetest.Pipeline(name, nodetest.Stage("Approve", nodetest.Approval("Manual"))))
	}
	cli := iamCLI{t, b.URL}
	root, secret := nodetest.KeyID, nodetest.Secret
	acct := b.Node.Config.Account
	user := func(name, policyARN string) (string, string) {
		cli.ok(root, secret, nil, "iam", "create-user", "--user-name", name)
		cli.ok(root, secret, nil, "iam", "attach-user-policy", "--user-name", name, "--policy-arn", policyARN)
		var k cliKey
		cli.ok(root, secret, &k, "iam", "create-access-key", "--user-name", name)
		return k.AccessKey.AccessKeyId, k.AccessKey.SecretAccessKey
	}
	prodARN := "arn:aws:codepipeline:" + b.Node.Config.Region + ":" + acct + ":prod"

	rid, rsecret := user("reader", "arn:aws:iam::aws:policy/AWSCodePipeline_ReadOnlyAccess")
	var list struct{ Pipelines []struct{ Name string } }
	cli.ok(rid, rsecret, &list, "codepipeline", "list-pipelines")
	require.Len(t, list.Pipelines, 2)
	cli.ok(rid, rsecret, nil, "codepipeline", "get-pipeline", "--name", "prod")
	cli.fails(rid, rsecret, []string{"(AccessDeniedException)", "User: arn:aws:iam::" + acct + ":user/reader is not authorized to perform: " +
		"codepipeline:StartPipelineExecution on resource: " + prodARN + " because no identity-based policy allows the codepipeline:StartPipelineExecution action"},
		"codepipeline", "start-pipeline-execution", "--name", "prod")
	env, work := nodetest.GitEnv(t), t.TempDir()
	srcURL := b.URL + "/v1/repos/" + nodetest.SrcRepo
	nodetest.Git(t, env, work, "clone", "-q", nodetest.AuthURL(srcURL), "src")
	push := exec.Command("git", "push", "-q", strings.Replace(srcURL, "http://", "http://"+rid+":"+rsecret+"@", 1), "HEAD:refs/heads/other")
	push.Env, push.Dir = env, work+"/src"
	out, err := push.CombinedOutput()
	require.Error(t, err, "the read-only user pushed: %s", out)
	require.Contains(t, string(out), "403")

	aid, asecret := user("approver", "arn:aws:iam::aws:policy/AWSCodePipelineApproverAccess")
	b.WaitAction(t, "prod", "Approve", "Manual", "InProgress")
	var state struct {
		StageStates []struct {
			StageName    string
			ActionStates []struct{ LatestExecution struct{ Token string } }
		}
	}
	cli.ok(aid, asecret, &state, "codepipeline", "get-pipeline-state", "--name", "prod")
	token := state.StageStates[1].ActionStates[0].LatestExecution.Token
	require.NotEmpty(t, token)
	cli.ok(aid, asecret, nil, "codepipeline", "put-approval-result", "--pipeline-name", "prod", "--stage-name", "Approve",
		"--action-name", "Manual", "--token", token, "--result", "summary=ok,status=Approved")
	cli.fails(aid, asecret, []string{"(AccessDeniedException)"}, "codepipeline", "start-pipeline-execution", "--name", "prod")
	cli.fails(aid, asecret, []string{"(AccessDeniedException)"}, "codepipeline", "delete-pipeline", "--name", "dev")

	did, dsecret := user("deployer", "arn:aws:iam::aws:policy/AdministratorAccess")
	cli.ok(root, secret, nil, "iam", "put-user-policy", "--user-name", "deployer", "--policy-name", "not-prod", "--policy-document",
		`{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"codepipeline:*","Resource":"`+prodARN+`"}}`)
	cli.ok(did, dsecret, nil, "codepipeline", "start-pipeline-execution", "--name", "dev")
	cli.fails(did, dsecret, []string{"(AccessDeniedException)", "on resource: " + prodARN + " with an explicit deny in an identity-based policy"},
		"codepipeline", "start-pipeline-execution", "--name", "prod")
}

// TestRootKeyRotationRewritesKeyFile: a server using the root key it generated keeps
// `sluice credentials` current when the key is rotated through IAM.
func TestRootKeyRotationRewritesKeyFile(t *testing.T) {
	t.Parallel()
	requireAWSCLI(t)
	b := nodetest.SetupWith(t, func(cfg *config.Server) { cfg.AccessKeyID, cfg.SecretAccessKey = "", "" })
	old := b.Node.AccessKey
	cli := iamCLI{t, b.URL}
	var key cliKey
	cli.ok(old.ID, old.Secret, &key, "iam", "create-access-key")
	stored, err := node.ReadKey(filepath.Join(b.Node.Config.DataDir, node.KeyFile))
	require.NoError(t, err)
	require.Equal(t, node.StoredKey{ID: key.AccessKey.AccessKeyId, Secret: key.AccessKey.SecretAccessKey}, stored)
	cli.fails(old.ID, old.Secret, []string{"InvalidClientTokenId"}, "iam", "list-users")

	// The next start takes the rotated key from the file.
	b.Restart(t)
	require.Equal(t, stored.ID, b.Node.AccessKey.ID)
	cli.url = b.URL
	cli.ok(stored.ID, stored.Secret, nil, "iam", "list-users")
	cli.fails(old.ID, old.Secret, []string{"InvalidClientTokenId"}, "iam", "list-users")
}
