package node_test

import (
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice/node/nodetest"
)

// policyUser makes a user with `aws iam create-user` and `create-access-key`, gives it a
// managed policy (an ARN) or an inline one (a JSON document), and returns its ARN and key.
func policyUser(cli iamCLI, name, policy string) (arn, id, secret string) {
	cli.t.Helper()
	root, rootSecret := nodetest.KeyID, nodetest.Secret
	var user struct{ User struct{ Arn string } }
	cli.ok(root, rootSecret, &user, "iam", "create-user", "--user-name", name)
	var key cliKey
	cli.ok(root, rootSecret, &key, "iam", "create-access-key", "--user-name", name)
	if strings.HasPrefix(policy, "arn:") {
		cli.ok(root, rootSecret, nil, "iam", "attach-user-policy", "--user-name", name, "--policy-arn", policy)
	} else {
		cli.ok(root, rootSecret, nil, "iam", "put-user-policy", "--user-name", name, "--policy-name", "p", "--policy-document", policy)
	}
	return user.User.Arn, key.AccessKey.AccessKeyId, key.AccessKey.SecretAccessKey
}

// gitPush commits to a clone of the src repository made with the root key and pushes it
// with the given key; it returns git's output and whether the push succeeded.
func gitPush(t *testing.T, b *nodetest.Bundle, id, secret string) (string, bool) {
	t.Helper()
	env, work := nodetest.GitEnv(t), t.TempDir()
	clone := b.URL + "/v1/repos/" + nodetest.SrcRepo
	nodetest.Git(t, env, work, "clone", "-q", nodetest.AuthURL(clone), "src")
	dir := filepath.Join(work, "src")
	require.NoError(t, os.WriteFile(filepath.Join(dir, "change"), []byte("pushed by "+id+"\n"), 0o644))
	nodetest.Git(t, env, dir, "add", "change")
	nodetest.Git(t, env, dir, "commit", "-q", "-m", "change")
	u, err := url.Parse(clone)
	require.NoError(t, err)
	u.User = url.UserPassword(id, secret)
	out, err := gitCommand(env, dir, "push", u.String(), "HEAD:main")
	return out, err == nil
}

// gitCommand runs git in dir and returns its combined output.
func gitCommand(env []string, dir string, args ...string) (string, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir, cmd.Env = dir, env
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// TestAuthorizationWithTheAWSCLI is issue 9's second Done-when bullet with the real AWS CLI:
// a read-only user lists and reads pipelines but may not start one or push; an approver
// approves and does nothing else; an explicit Deny on one pipeline wins over an Allow of all.
func TestAuthorizationWithTheAWSCLI(t *testing.T) {
	t.Parallel()
	requireAWSCLI(t)
	b := nodetest.Setup(t)
	cli := iamCLI{t, b.URL}
	acct, region := b.Node.Config.Account, b.Node.Config.Region
	pipelineARN := func(name string) string { return "arn:aws:codepipeline:" + region + ":" + acct + ":" + name }
	b.SeedRepo(t, nodetest.SrcRepo)
	b.Create(t, nodetest.Pipeline("app", nodetest.Stage("Approve", nodetest.Approval("Gate"))))
	b.Create(t, nodetest.Pipeline("prod", nodetest.Stage("Approve", nodetest.Approval("Gate"))))
	b.Create(t, nodetest.Pipeline("qa", nodetest.Stage("Approve", nodetest.Approval("Gate"))))
	head := func() string {
		var out struct{ Branch struct{ CommitId string } }
		cli.ok(nodetest.KeyID, nodetest.Secret, &out, "codecommit", "get-branch", "--repository-name", nodetest.SrcRepo, "--branch-name", "main")
		return out.Branch.CommitId
	}
	denied := func(user, action, resource, why string) []string {
		return []string{"(AccessDeniedException)", "User: " + user + " is not authorized to perform: " + action +
			" on resource: " + resource + " " + why}
	}
	implicit := func(action string) string { return "because no identity-based policy allows the " + action + " action" }

	t.Run("ReadOnly", func(t *testing.T) {
		t.Parallel()
		cli := iamCLI{t, b.URL}
		arn, id, secret := policyUser(cli, "reader", "arn:aws:iam::aws:policy/AWSCodePipeline_ReadOnlyAccess")
		var list struct{ Pipelines []struct{ Name string } }
		cli.ok(id, secret, &list, "codepipeline", "list-pipelines")
		require.Len(t, list.Pipelines, 3)
		var got struct{ Pipeline struct{ Name string } }
		cli.ok(id, secret, &got, "codepipeline", "get-pipeline", "--name", "app")
		require.Equal(t, "app", got.Pipeline.Name)
		before := len(b.Executions(t, "app"))

		cli.fails(id, secret, denied(arn, "codepipeline:StartPipelineExecution", pipelineARN("app"), implicit("codepipeline:StartPipelineExecution")),
			"codepipeline", "start-pipeline-execution", "--name", "app")
		require.Len(t, b.Executions(t, "app"), before, "a denied start started an execution")

		was := head()
		out, ok := gitPush(t, b, id, secret)
		require.False(t, ok, "the reader pushed: %s", out)
		require.Contains(t, out, "403")
		out, ok = gitPush(t, b, id, "not-the-secret")
		require.False(t, ok, "a wrong secret pushed: %s", out)
		require.Contains(t, out, "Authentication failed") // git's words for a 401
		require.Equal(t, was, head(), "a denied push moved the branch")
	})

	t.Run("Approver", func(t *testing.T) {
		t.Parallel()
		cli := iamCLI{t, b.URL}
		arn, id, secret := policyUser(cli, "approver", "arn:aws:iam::aws:policy/AWSCodePipelineApproverAccess")
		token := b.ApprovalToken(t, "prod", "Approve", "Gate")
		cli.ok(id, secret, nil, "codepipeline", "put-approval-result", "--pipeline-name", "prod", "--stage-name", "Approve",
			"--action-name", "Gate", "--result", "summary=ok,status=Approved", "--token", token)

		cli.fails(id, secret, denied(arn, "codepipeline:StartPipelineExecution", pipelineARN("prod"), implicit("codepipeline:StartPipelineExecution")),
			"codepipeline", "start-pipeline-execution", "--name", "prod")
		cli.fails(id, secret, denied(arn, "codepipeline:DisableStageTransition", pipelineARN("app")+"/Approve", implicit("codepipeline:DisableStageTransition")),
			"codepipeline", "disable-stage-transition", "--pipeline-name", "app", "--stage-name", "Approve",
			"--transition-type", "Inbound", "--reason", "no")
		cli.fails(id, secret, denied(arn, "codepipeline:DeletePipeline", pipelineARN("app"), implicit("codepipeline:DeletePipeline")),
			"codepipeline", "delete-pipeline", "--name", "app")
		cli.fails(id, secret, []string{"(AccessDeniedException)", "codecommit:GetRepository"},
			"codecommit", "get-repository", "--repository-name", nodetest.SrcRepo)
		out, ok := gitPush(t, b, id, secret)
		require.False(t, ok, "the approver pushed: %s", out)
		require.Contains(t, out, "403")
	})

	t.Run("ExplicitDenyWins", func(t *testing.T) {
		t.Parallel()
		cli := iamCLI{t, b.URL}
		doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"codepipeline:*","Resource":"*"},` +
			`{"Effect":"Deny","Action":"codepipeline:*","Resource":"` + pipelineARN("prod") + `"}]}`
		arn, id, secret := policyUser(cli, "deployer", doc)
		cli.ok(id, secret, nil, "codepipeline", "start-pipeline-execution", "--name", "qa")
		cli.fails(id, secret, denied(arn, "codepipeline:StartPipelineExecution", pipelineARN("prod"), "with an explicit deny in an identity-based policy"),
			"codepipeline", "start-pipeline-execution", "--name", "prod")
		cli.fails(id, secret, denied(arn, "codepipeline:GetPipeline", pipelineARN("prod"), "with an explicit deny in an identity-based policy"),
			"codepipeline", "get-pipeline", "--name", "prod")
	})
}
