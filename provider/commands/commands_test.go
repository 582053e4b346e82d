package commands_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

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
	readFile := func(t *testing.T, name string) string {
		t.Helper()
		b, err := os.ReadFile(name)
		require.NoError(t, err)
		return string(b)
	}

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
