package commands_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/provider/commands"
)

func TestTypes(t *testing.T) {
	t.Parallel()
	types := (&commands.Provider{}).Types()
	require.Len(t, types, 1)
	require.Equal(t, "Compute/AWS/Commands/1", types[0].ID.String())
	require.Equal(t, sluice.ArtifactDetails{MinimumCount: 1, MaximumCount: 10}, types[0].InputArtifactDetails)
	require.Equal(t, sluice.ArtifactDetails{MinimumCount: 0, MaximumCount: 1}, types[0].OutputArtifactDetails)
	var names []string
	for _, p := range types[0].ConfigurationProperties {
		require.False(t, p.Required || p.Secret || p.Key, p.Name)
		names = append(names, p.Name)
	}
	require.Equal(t, []string{"EnvironmentType", "ComputeType", "VpcId", "Subnets", "SecurityGroupIds"}, names)
}

func TestRun(t *testing.T) {
	t.Parallel()
	t.Run("SharedSession", func(t *testing.T) {
		t.Parallel()
		b := setup(t, "mkdir sub", "cd sub", "export GREETING=hello",
			`echo "$GREETING from $(basename "$PWD")" > ../out.txt`)
		out, err := b.provider.Run(t.Context(), b.rc)
		require.NoError(t, err)
		require.True(t, out.Success, out.Summary)
		require.Equal(t, "hello from sub\n", readFile(t, filepath.Join(b.rc.WorkDir, "out.txt")))
	})
	t.Run("StopsAtFirstFailure", func(t *testing.T) {
		t.Parallel()
		b := setup(t, "echo one", "echo oops >&2; exit 3", "echo never")
		out, err := b.provider.Run(t.Context(), b.rc)
		require.NoError(t, err)
		want := "Command failed with exit status 3\nRunning command echo one\none\n" +
			"Running command echo oops >&2; exit 3\noops"
		require.Equal(t, &sluice.Outcome{ErrorType: sluice.FailureJobFailed, Summary: want, ErrorMessage: want}, out)
		require.NotContains(t, b.log.String(), "never")
	})
	t.Run("OutputVariables", func(t *testing.T) {
		t.Parallel()
		b := setup(t, `export SPACED="a  b c "`, "MULTI='line1\nline2\n'", "EMPTY=", "cd /")
		b.rc.Job.Data.OutputVariables = []string{"SPACED", "MULTI", "EMPTY", "MISSING"}
		out, err := b.provider.Run(t.Context(), b.rc)
		require.NoError(t, err)
		require.True(t, out.Success, out.Summary)
		require.Equal(t, map[string]string{"SPACED": "a  b c ", "MULTI": "line1\nline2\n", "EMPTY": ""}, out.OutputVariables)
	})
	t.Run("EarlyExitHasNoVariables", func(t *testing.T) {
		t.Parallel()
		b := setup(t, "export V=1", "exit 0", "echo never")
		b.rc.Job.Data.OutputVariables = []string{"V"}
		out, err := b.provider.Run(t.Context(), b.rc)
		require.NoError(t, err)
		require.True(t, out.Success)
		require.Empty(t, out.OutputVariables)
	})
	t.Run("Environment", func(t *testing.T) {
		t.Parallel()
		// The worker's own environment (its keys, its HOME) never reaches the commands.
		require.NotEmpty(t, os.Getenv("HOME"))
		b := setup(t, `printf '%s|%s|%s|%s|%s|%s' "$CODEPIPELINE_JOB_ID" "$FOO" "$BAZ" "$OVERRIDE" "$PATH" "${HOME-unset}" > env.txt`)
		b.rc.Env = append(b.rc.Env, "OVERRIDE=runner")
		b.rc.Job.Data.Environment = []sluice.EnvironmentVariable{
			{Name: "FOO", Value: "bar baz", Type: "PLAINTEXT"}, {Name: "BAZ", Value: "qux"},
			{Name: "OVERRIDE", Value: "action"},
		}
		out, err := b.provider.Run(t.Context(), b.rc)
		require.NoError(t, err)
		require.True(t, out.Success, out.Summary)
		require.Equal(t, "job-1|bar baz|qux|action|/usr/bin:/bin|unset", readFile(t, filepath.Join(b.rc.WorkDir, "env.txt")))
	})
	t.Run("StdoutAndStderrLogged", func(t *testing.T) {
		t.Parallel()
		b := setup(t, "echo to-out", "echo to-err >&2")
		out, err := b.provider.Run(t.Context(), b.rc)
		require.NoError(t, err)
		require.True(t, out.Success)
		require.Equal(t, "Running command echo to-out\nto-out\nRunning command echo to-err >&2\nto-err\n", b.log.String())
	})
	t.Run("OutputArtifactTakesFilesGlobs", func(t *testing.T) {
		t.Parallel()
		b := setup(t, "true")
		b.rc.Job.Data.OutputArtifacts = []sluice.OutputArtifactRef{{
			ArtifactRef: sluice.ArtifactRef{Name: "Out", Key: "k"}, Files: []string{"dist/**/*", "*.txt"},
		}}
		out, err := b.provider.Run(t.Context(), b.rc)
		require.NoError(t, err)
		require.Equal(t, map[string]sluice.ArtifactSource{
			"Out": {Dir: b.rc.WorkDir, Files: []string{"dist/**/*", "*.txt"}},
		}, out.Artifacts)
	})
}

func TestRunConfigurationErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		modify func(d *sluice.JobData)
		want   string
	}{
		{"ErrNoCommands", func(d *sluice.JobData) { d.Commands = nil }, "commands must list at least one command"},
		{"ErrSecretsManager", func(d *sluice.JobData) {
			d.Environment = []sluice.EnvironmentVariable{{Name: "DB_PASSWORD", Value: "prod/db", Type: "SECRETS_MANAGER"}}
		}, "environment variables refer to secret prod/db, and this worker cannot resolve secrets"},
		{"ErrBadVariableName", func(d *sluice.JobData) {
			d.Environment = []sluice.EnvironmentVariable{{Name: "A=B", Value: "x"}}
		}, `environment variable "A=B" has an invalid name`},
		{"ErrBadOutputVariableName", func(d *sluice.JobData) {
			d.OutputVariables = []string{"X; rm -rf /"}
		}, `output variable "X; rm -rf /" is not a valid environment variable name`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t, "touch ran")
			tt.modify(&b.rc.Job.Data)
			out, err := b.provider.Run(context.Background(), b.rc)
			require.NoError(t, err)
			require.False(t, out.Success)
			require.Equal(t, sluice.FailureConfigurationError, out.ErrorType)
			require.Contains(t, out.Summary, tt.want)
			require.NoFileExists(t, filepath.Join(b.rc.WorkDir, "ran"))
		})
	}
}

func TestCodeBuildEnvironment(t *testing.T) {
	t.Parallel()
	names := []string{"CODEBUILD_SRC_DIR", "CODEBUILD_SRC_DIR_lib_src", "CODEBUILD_BUILD_ID", "CODEBUILD_BUILD_ARN",
		"CODEBUILD_BUILD_NUMBER", "CODEBUILD_BUILD_SUCCEEDING", "CODEBUILD_INITIATOR", "CODEBUILD_START_TIME",
		"CODEBUILD_LOG_PATH", "CODEBUILD_PROJECT_ARN", "CODEBUILD_RESOLVED_SOURCE_VERSION", "CODEBUILD_SOURCE_VERSION",
		"AWS_REGION", "AWS_DEFAULT_REGION", "CODEPIPELINE_JOB_ID"}
	printVars := func() string {
		var b strings.Builder
		for _, n := range names {
			fmt.Fprintf(&b, `printf '%%s=%%s\n' %s "${%s-unset}" >> "$TMP_OUT"; `, n, n)
		}
		return b.String()
	}
	setupBuild := func(t *testing.T) (*bundle, string) {
		t.Helper()
		b := setup(t, printVars())
		out := filepath.Join(t.TempDir(), "vars.txt")
		lib := t.TempDir()
		b.provider.Clock = fixedClock{time.Date(2026, 12, 7, 13, 0, 0, 0, time.UTC)}
		b.rc.Job.PipelineName = "web"
		b.rc.Job.Data.PipelineArn = "arn:aws:codepipeline:eu-west-1:123456789012:web"
		b.rc.Job.Data.InputArtifacts = []sluice.ArtifactRef{{Name: "Src", Revision: "abc123"}, {Name: "lib_src"}}
		b.rc.InputDirs = map[string]string{"Src": b.rc.WorkDir, "lib_src": lib}
		b.rc.Job.Data.Environment = []sluice.EnvironmentVariable{{Name: "TMP_OUT", Value: out}}
		return b, out
	}

	t.Run("AsCodeBuildSetsThem", func(t *testing.T) {
		t.Parallel()
		b, out := setupBuild(t)
		res, err := b.provider.Run(t.Context(), b.rc)
		require.NoError(t, err)
		require.True(t, res.Success, res.Summary)
		lib := b.rc.InputDirs["lib_src"]
		want := "CODEBUILD_SRC_DIR=" + b.rc.WorkDir + "\nCODEBUILD_SRC_DIR_lib_src=" + lib + "\n" +
			"CODEBUILD_BUILD_ID=codepipeline-commands:job-1\n" +
			"CODEBUILD_BUILD_ARN=arn:aws:codebuild:eu-west-1:123456789012:build/codepipeline-commands:job-1\n" +
			"CODEBUILD_BUILD_NUMBER=1796648400\nCODEBUILD_BUILD_SUCCEEDING=1\nCODEBUILD_INITIATOR=codepipeline/web\n" +
			"CODEBUILD_START_TIME=1796648400000\nCODEBUILD_LOG_PATH=job-1\n" +
			"CODEBUILD_PROJECT_ARN=arn:aws:codebuild:eu-west-1:123456789012:project/codepipeline-commands\n" +
			"CODEBUILD_RESOLVED_SOURCE_VERSION=abc123\nCODEBUILD_SOURCE_VERSION=abc123\n" +
			"AWS_REGION=eu-west-1\nAWS_DEFAULT_REGION=eu-west-1\nCODEPIPELINE_JOB_ID=job-1\n"
		require.Equal(t, want, readFile(t, out))
	})
	t.Run("RegionOverridesThePipelines", func(t *testing.T) {
		t.Parallel()
		b, out := setupBuild(t)
		b.provider.Region = "ap-south-1"
		res, err := b.provider.Run(t.Context(), b.rc)
		require.NoError(t, err)
		require.True(t, res.Success, res.Summary)
		require.Contains(t, readFile(t, out), "\nAWS_REGION=ap-south-1\n")
		require.Contains(t, readFile(t, out), "arn:aws:codebuild:ap-south-1:123456789012:build/")
	})
	t.Run("RevisionOfTheExecutionWhenTheInputHasNone", func(t *testing.T) {
		t.Parallel()
		b, out := setupBuild(t)
		b.rc.Job.Data.InputArtifacts[0].Revision = ""
		b.rc.Job.Data.Revision = &sluice.Revision{RevisionID: "def456"}
		res, err := b.provider.Run(t.Context(), b.rc)
		require.NoError(t, err)
		require.True(t, res.Success, res.Summary)
		require.Contains(t, readFile(t, out), "\nCODEBUILD_RESOLVED_SOURCE_VERSION=def456\n")
	})
	t.Run("ActionVariablesWin", func(t *testing.T) {
		t.Parallel()
		b, out := setupBuild(t)
		b.rc.Job.Data.Environment = append(b.rc.Job.Data.Environment, sluice.EnvironmentVariable{Name: "CODEBUILD_BUILD_NUMBER", Value: "7"})
		res, err := b.provider.Run(t.Context(), b.rc)
		require.NoError(t, err)
		require.True(t, res.Success, res.Summary)
		require.Contains(t, readFile(t, out), "\nCODEBUILD_BUILD_NUMBER=7\n")
	})
}

type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time { return c.t }

func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	require.NoError(t, err)
	return string(b)
}
