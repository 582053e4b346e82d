package node_test

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codebuild"
	cbtypes "github.com/aws/aws-sdk-go-v2/service/codebuild/types"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/stretchr/testify/require"

	"sluice/config"
)

// awsCLI runs the real AWS CLI against the server of c, returning its output and error.
func awsCLI(t *testing.T, c *conformance) func(args ...string) (string, error) {
	t.Helper()
	if _, err := exec.LookPath("aws"); err != nil {
		if os.Getenv("SLUICE_REQUIRE_AWSCLI") != "" {
			t.Fatal("the AWS CLI is required (SLUICE_REQUIRE_AWSCLI is set) but not installed")
		}
		t.Skip("the AWS CLI is not installed")
	}
	env := append(os.Environ(), "AWS_ACCESS_KEY_ID="+testKeyID, "AWS_SECRET_ACCESS_KEY="+testSecret, "AWS_DEFAULT_REGION=us-east-1",
		"AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_PAGER=")
	return func(args ...string) (string, error) {
		cmd := exec.Command("aws", append(args, "--endpoint-url", c.URL, "--output", "json")...)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
}

func randomValue(t *testing.T, prefix string) string {
	b := make([]byte, 12)
	_, err := rand.Read(b)
	require.NoError(t, err)
	return prefix + hex.EncodeToString(b)
}

func sha(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// secretsBuildspec reads a secret whole, a JSON key of another, a SecureString parameter
// and a project variable of type SECRETS_MANAGER; it checks each against its sha256 (the
// buildspec is stored with the pipeline, so it holds no value) and prints them.
func secretsBuildspec(token, pass, key string) string {
	check := func(v, want string) string {
		return `      - test "$(printf %s "$` + v + `" | sha256sum | cut -d' ' -f1)" = ` + sha(want) + "\n"
	}
	return "version: 0.2\nenv:\n  secrets-manager:\n    TOKEN: app/token\n    PASS: app/db:password\n" +
		"  parameter-store:\n    KEY: /app/key\n  exported-variables: [LEAK]\nphases:\n  build:\n    commands:\n" +
		`      - export LEAK="$TOKEN"` + "\n" +
		`      - echo "token=$TOKEN pass=$PASS key=$KEY project=$FROM_PROJECT"` + "\n" +
		check("TOKEN", token) + check("PASS", pass) + check("KEY", key) + check("FROM_PROJECT", token)
}

// TestSecretsInBuilds is the Done-when check with the real AWS CLI: a secret made with `aws
// secretsmanager create-secret` and a SecureString made with `aws ssm put-parameter` reach
// a CodeBuild action's buildspec (env.secrets-manager, env.parameter-store), a project
// variable of type SECRETS_MANAGER and a Commands action's SECRETS_MANAGER variable; the log shows them masked, and nothing under the data
// directory (database, WAL, logs, artifacts) holds them.
func TestSecretsInBuilds(t *testing.T) {
	t.Parallel()
	c := setupConformance(t)
	run := awsCLI(t, c)
	must := func(args ...string) string {
		out, err := run(args...)
		require.NoError(t, err, "aws %s: %s", strings.Join(args, " "), out)
		return out
	}
	token, pass, key := randomValue(t, "tok-"), randomValue(t, "pw-"), randomValue(t, "key-")
	must("secretsmanager", "create-secret", "--name", "app/token", "--secret-string", token)
	must("secretsmanager", "create-secret", "--name", "app/db", "--secret-string", `{"user":"u","password":"`+pass+`"}`)
	must("ssm", "put-parameter", "--name", "/app/key", "--type", "SecureString", "--value", key)
	_, err := codebuildClient(c.bundle).CreateProject(c.ctx, projectInput("secrets", func(in *codebuild.CreateProjectInput) {
		in.Environment.EnvironmentVariables = []cbtypes.EnvironmentVariable{{Name: aws.String("FROM_PROJECT"),
			Value: aws.String("app/token"), Type: cbtypes.EnvironmentVariableTypeSecretsManager}}
	}))
	require.NoError(t, err)

	build := types.ActionDeclaration{Name: aws.String("Build"), ActionTypeId: codeBuild(types.ActionCategoryBuild),
		Configuration:  map[string]string{"ProjectName": "secrets", "BuildSpec": secretsBuildspec(token, pass, key)},
		InputArtifacts: []types.InputArtifact{{Name: aws.String("Code")}}}
	cmds := cmdAction("Commands", `echo "cmd token=$TOKEN"`, `test "$(printf %s "$TOKEN" | sha256sum | cut -d' ' -f1)" = `+sha(token))
	cmds.EnvironmentVariables = []types.EnvironmentVariable{{Name: aws.String("TOKEN"), Value: aws.String("app/token"),
		Type: types.EnvironmentVariableTypeSecretsManager}}
	c.Create(t, pipeline("uses-secrets", stage("Build", build, cmds)))
	exec := c.Executions(t, "uses-secrets")[0].PipelineExecutionId
	c.WaitStatus(t, "uses-secrets", aws.ToString(exec), types.PipelineExecutionStatusSucceeded)

	for _, r := range c.ActionRuns(t, "uses-secrets", aws.ToString(exec)) {
		if aws.ToString(r.ActionName) == "Build" {
			require.Equal(t, "****", r.Output.OutputVariables["LEAK"], "an exported secret is stored masked")
		}
	}
	log, _ := c.readLog(t, "uses-secrets", c.actionRunID(t, "uses-secrets", aws.ToString(exec), "Build"), 0)
	require.Contains(t, log, "token=**** pass=**** key=**** project=****")
	for _, v := range []string{token, pass, key} {
		require.NotContains(t, log, v)
	}
	cmdLog, _ := c.readLog(t, "uses-secrets", c.actionRunID(t, "uses-secrets", aws.ToString(exec), "Commands"), 0)
	require.Contains(t, cmdLog, "cmd token=****")
	require.NotContains(t, cmdLog, token)
	dir := c.Node.Config.DataDir
	require.NoError(t, c.Node.Close()) // every write is on disk
	for _, v := range []string{token, pass, key} {
		require.Empty(t, dirHolds(t, dir, v), "a value is stored in the clear")
	}
}

// TestSecretsRefused: a build that refers to a secret that does not exist fails naming it;
// bad input to Secrets Manager and Parameter Store gets the models' errors, naming the
// field, and stores nothing.
func TestSecretsRefused(t *testing.T) {
	t.Parallel()
	c := setupConformance(t)
	run := awsCLI(t, c)

	_, err := codebuildClient(c.bundle).CreateProject(c.ctx, projectInput("missing", nil))
	require.NoError(t, err)
	build := types.ActionDeclaration{Name: aws.String("Build"), ActionTypeId: codeBuild(types.ActionCategoryBuild),
		Configuration: map[string]string{"ProjectName": "missing",
			"BuildSpec": "version: 0.2\nenv:\n  parameter-store:\n    KEY: /app/none\nphases:\n  build:\n    commands: ['touch ran']\n"},
		InputArtifacts: []types.InputArtifact{{Name: aws.String("Code")}}}
	c.Create(t, pipeline("needs-missing", stage("Build", build)))
	exec := aws.ToString(c.Executions(t, "needs-missing")[0].PipelineExecutionId)
	c.WaitStatus(t, "needs-missing", exec, types.PipelineExecutionStatusFailed)
	st, err := c.CP.GetPipelineState(c.ctx, &codepipeline.GetPipelineStateInput{Name: aws.String("needs-missing")})
	require.NoError(t, err)
	act := stageState(t, st, "Build").ActionStates[0].LatestExecution
	require.Contains(t, aws.ToString(act.ErrorDetails.Message), "parameter-store reference /app/none: Parameter does not exist")

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"secretsmanager", "create-secret", "--name", strings.Repeat("n", 513), "--secret-string", "v"},
			"(InvalidParameterException) when calling the CreateSecret operation: 1 validation error detected: Value '" + strings.Repeat("n", 513) + "' at 'Name' failed to satisfy constraint: Member must have length less than or equal to 512"},
		{[]string{"secretsmanager", "create-secret", "--name", "both", "--secret-string", "v", "--secret-binary", "dg=="},
			"(InvalidParameterException) when calling the CreateSecret operation: You can't specify both a binary secret value and a string secret value in the same secret."},
		{[]string{"secretsmanager", "get-secret-value", "--secret-id", "both"},
			"(ResourceNotFoundException) when calling the GetSecretValue operation: Secrets Manager can't find the specified secret."},
		{[]string{"ssm", "put-parameter", "--name", "aws-reserved", "--type", "String", "--value", "v"},
			`(ValidationException) when calling the PutParameter operation: Parameter name: can't be prefixed with "aws" or "ssm"`},
		{[]string{"ssm", "put-parameter", "--name", "/p", "--type", "Bad", "--value", "v"},
			"(ValidationException) when calling the PutParameter operation: 1 validation error detected: Value 'Bad' at 'Type' failed to satisfy constraint"},
		{[]string{"ssm", "get-parameter", "--name", "/p"}, "(ParameterNotFound) when calling the GetParameter operation"},
	} {
		out, err := run(tc.args...)
		require.Error(t, err, out)
		require.Contains(t, out, tc.want)
	}
	list, err := run("secretsmanager", "list-secrets")
	require.NoError(t, err, list)
	require.JSONEq(t, `{"SecretList": []}`, list, "bad input stores nothing")
	params, err := run("ssm", "get-parameters-by-path", "--path", "/", "--recursive")
	require.NoError(t, err, params)
	require.JSONEq(t, `{"Parameters": []}`, params)
}

// TestSecretsOnRemoteWorker: a build on a `sluice worker` process gets its secrets from the
// server over the worker's signed channel, and its log, sent to the server, shows them
// masked.
func TestSecretsOnRemoteWorker(t *testing.T) {
	t.Parallel()
	c := setupConformanceWith(t, func(cfg *config.Server) { cfg.Workers = 0 })
	run := awsCLI(t, c)
	token, pass, key := randomValue(t, "tok-"), randomValue(t, "pw-"), randomValue(t, "key-")
	for _, args := range [][]string{
		{"secretsmanager", "create-secret", "--name", "app/token", "--secret-string", token},
		{"secretsmanager", "create-secret", "--name", "app/db", "--secret-string", `{"password":"` + pass + `"}`},
		{"ssm", "put-parameter", "--name", "/app/key", "--type", "SecureString", "--value", key},
	} {
		out, err := run(args...)
		require.NoError(t, err, out)
	}
	_, err := codebuildClient(c.bundle).CreateProject(c.ctx, projectInput("secrets", func(in *codebuild.CreateProjectInput) {
		in.Environment.EnvironmentVariables = []cbtypes.EnvironmentVariable{{Name: aws.String("FROM_PROJECT"),
			Value: aws.String("app/token"), Type: cbtypes.EnvironmentVariableTypeSecretsManager}}
	}))
	require.NoError(t, err)
	startWorker(t, c.URL, "--labels", "vault")
	build := types.ActionDeclaration{Name: aws.String("Build"), ActionTypeId: codeBuild(types.ActionCategoryBuild),
		Configuration: map[string]string{"ProjectName": "secrets", "WorkerLabel": "vault",
			"BuildSpec": secretsBuildspec(token, pass, key)},
		InputArtifacts: []types.InputArtifact{{Name: aws.String("Code")}}}
	exec := c.Create(t, pipeline("remote-secrets", stage("Build", build)))
	c.WaitStatus(t, "remote-secrets", exec, types.PipelineExecutionStatusSucceeded)

	log, _ := c.readLog(t, "remote-secrets", c.actionRunID(t, "remote-secrets", exec, "Build"), 0)
	require.Contains(t, log, "token=**** pass=**** key=**** project=****")
	for _, v := range []string{token, pass, key} {
		require.NotContains(t, log, v)
	}
}
