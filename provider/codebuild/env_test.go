package codebuild_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
)

// printVars is a build phase that writes NAME=value lines for the given variables.
func printVars(names ...string) string {
	var b strings.Builder
	b.WriteString("phases:\n  build:\n    commands:\n")
	for _, n := range names {
		b.WriteString("      - echo \"" + n + "=$" + n + "\" >> vars.txt\n")
	}
	return b.String()
}

func TestEnvironment(t *testing.T) {
	t.Parallel()

	t.Run("Precedence", func(t *testing.T) {
		t.Parallel()
		b := setup(t, `version: 0.2
env:
  variables:
    FROM_RUNNER: buildspec
    OVERRIDDEN: buildspec
    YAML_BOOL: true
    YAML_FLOAT: 1.0
    CODEBUILD_BUILD_ID: reserved
`+printVars("FROM_RUNNER", "OVERRIDDEN", "ACTION_ONLY", "YAML_BOOL", "YAML_FLOAT", "CODEPIPELINE_JOB_ID", "CODEBUILD_BUILD_ID"))
		b.rc.Env = append(b.rc.Env, "FROM_RUNNER=runner", "OVERRIDDEN=runner")
		b.rc.Job.Data.Configuration["EnvironmentVariables"] =
			`[{"name":"OVERRIDDEN","value":"action","type":"PLAINTEXT"},{"name":"ACTION_ONLY","value":"a b"}]`
		out := b.run(t)
		require.True(t, out.Success, out.Summary)
		require.Equal(t, "FROM_RUNNER=buildspec\nOVERRIDDEN=action\nACTION_ONLY=a b\nYAML_BOOL=true\nYAML_FLOAT=1.0\n"+
			"CODEPIPELINE_JOB_ID=job-1\nCODEBUILD_BUILD_ID=proj:job-1\n", b.read(t, "vars.txt"))
		require.Contains(t, b.log.String(), "variable CODEBUILD_BUILD_ID: names starting with CODEBUILD_ are reserved: ignored")
	})
	t.Run("CodeBuildVariables", func(t *testing.T) {
		t.Parallel()
		b := setup(t, "version: 0.2\n"+printVars("CODEBUILD_BUILD_ARN", "CODEBUILD_BUILD_NUMBER", "CODEBUILD_BUILD_SUCCEEDING",
			"CODEBUILD_INITIATOR", "CODEBUILD_RESOLVED_SOURCE_VERSION", "CODEBUILD_SOURCE_VERSION", "CODEBUILD_START_TIME",
			"AWS_REGION", "AWS_DEFAULT_REGION", "CODEBUILD_PROJECT_ARN", "CODEBUILD_LOG_PATH"))
		out := b.run(t)
		require.True(t, out.Success, out.Summary)
		require.Equal(t, "CODEBUILD_BUILD_ARN=arn:aws:codebuild:eu-west-1:123456789012:build/proj:job-1\n"+
			"CODEBUILD_BUILD_NUMBER=1741064767\nCODEBUILD_BUILD_SUCCEEDING=1\nCODEBUILD_INITIATOR=codepipeline/pipe\n"+
			"CODEBUILD_RESOLVED_SOURCE_VERSION=abc123\nCODEBUILD_SOURCE_VERSION=abc123\nCODEBUILD_START_TIME=1741064767000\n"+
			"AWS_REGION=eu-west-1\nAWS_DEFAULT_REGION=eu-west-1\n"+
			"CODEBUILD_PROJECT_ARN=arn:aws:codebuild:eu-west-1:123456789012:project/proj\nCODEBUILD_LOG_PATH=job-1\n", b.read(t, "vars.txt"))
	})
	t.Run("ParameterStoreSetByTheAction", func(t *testing.T) {
		t.Parallel()
		b := setup(t, "version: 0.2\nenv:\n  parameter-store:\n    TOKEN: /ci/token\n"+printVars("TOKEN"))
		b.rc.Job.Data.Configuration["EnvironmentVariables"] = `[{"name":"TOKEN","value":"plain","type":"PLAINTEXT"}]`
		out := b.run(t)
		require.True(t, out.Success, out.Summary)
		require.Equal(t, "TOKEN=plain\n", b.read(t, "vars.txt"))
	})
}

func TestSources(t *testing.T) {
	t.Parallel()
	b := setup(t, "")
	other, lib := t.TempDir(), t.TempDir()
	// CODEBUILD_SRC_DIR_lib-src is no shell name: only env(1) sees it, in a later phase too.
	writeFile(t, filepath.Join(other, "buildspec.yml"), `version: 0.2
env:
  shell: bash
phases:
  pre_build:
    commands:
      - echo "$(pwd)|$CODEBUILD_SRC_DIR|$CODEBUILD_SRC_DIR_Src|$CODEBUILD_RESOLVED_SOURCE_VERSION" > where.txt
  build:
    commands:
      - env | grep '^CODEBUILD_SRC_DIR_lib-src=' > lib.txt
`)
	b.rc.Job.Data.InputArtifacts = append(b.rc.Job.Data.InputArtifacts,
		sluice.ArtifactRef{Name: "Other", Key: "k/other", Revision: "def456"}, sluice.ArtifactRef{Name: "lib-src", Key: "k/lib"})
	b.rc.InputDirs["Other"], b.rc.InputDirs["lib-src"] = other, lib
	b.rc.Job.Data.Configuration["PrimarySource"] = "Other"
	out := b.run(t)
	require.True(t, out.Success, out.Summary)
	b.src = other
	require.Equal(t, other+"|"+other+"|"+b.rc.InputDirs["Src"]+"|def456\n", b.read(t, "where.txt"))
	require.Equal(t, "CODEBUILD_SRC_DIR_lib-src="+lib+"\n", b.read(t, "lib.txt"))
}

func TestConfigurationErrors(t *testing.T) {
	t.Parallel()
	const runs = "version: 0.2\nphases:\n  build:\n    commands: [touch ran]\n"
	tests := []struct {
		name      string
		buildspec string
		modify    func(d *sluice.JobData)
		errorType string
		want      string
	}{
		{"ErrNoProjectName", runs, func(d *sluice.JobData) { delete(d.Configuration, "ProjectName") },
			sluice.FailureConfigurationError, "ProjectName is required"},
		{"ErrPrimarySourceRequired", runs, func(d *sluice.JobData) {
			d.InputArtifacts = append(d.InputArtifacts, sluice.ArtifactRef{Name: "Two"})
		}, sluice.FailureConfigurationError, "PrimarySource is required"},
		{"ErrUnknownPrimarySource", runs, func(d *sluice.JobData) { d.Configuration["PrimarySource"] = "Nope" },
			sluice.FailureConfigurationError, "PrimarySource Nope is not an input artifact"},
		{"ErrSecretVariable", runs, func(d *sluice.JobData) {
			d.Configuration["EnvironmentVariables"] = `[{"name":"DB_PASSWORD","value":"prod/db","type":"SECRETS_MANAGER"}]`
		}, sluice.FailureConfigurationError, "refers to SECRETS_MANAGER prod/db, and this worker cannot resolve secrets"},
		{"ErrVariablesNotJSON", runs, func(d *sluice.JobData) { d.Configuration["EnvironmentVariables"] = "A=B" },
			sluice.FailureConfigurationError, "EnvironmentVariables is not a JSON list"},
		{"ErrReservedVariable", runs, func(d *sluice.JobData) {
			d.Configuration["EnvironmentVariables"] = `[{"name":"CODEBUILD_BUILD_ID","value":"x"}]`
		}, sluice.FailureConfigurationError, "names starting with CODEBUILD_ are reserved"},
		{"ErrBatch", runs, func(d *sluice.JobData) { d.Configuration["BatchEnabled"] = "true" },
			sluice.FailureConfigurationError, "batch builds are not supported"},
		{"ErrUnresolvedParameter", "version: 0.2\nenv:\n  parameter-store:\n    LOGIN_PASSWORD: /x\n" + runs[13:], nil,
			sluice.FailureConfigurationError, "refers to PARAMETER_STORE /x, and this worker cannot resolve secrets"},
		{"ErrInlineBuildSpec", runs, func(d *sluice.JobData) { d.Configuration["BuildSpec"] = "version: 0.3\nphases: {}\n" },
			sluice.FailureConfigurationError, `BuildSpec: line 1: buildspec version "0.3" is not supported`},
		{"ErrNoBuildspecFile", "", nil, sluice.FailureJobFailed, "YAML_FILE_ERROR: buildspec not found: buildspec.yml does not exist"},
		{"ErrBadBuildspecFile", "version: 0.2\nphases:\n  build:\n    commands:\n      - echo a: b\n", nil,
			sluice.FailureJobFailed, "YAML_FILE_ERROR: line 5: phases.build.commands[0] must be a string, not a mapping"},
		{"ErrUnknownPhase", "version: 0.2\nphases:\n  biuld:\n    commands: [echo never]\n", nil,
			sluice.FailureJobFailed, `YAML_FILE_ERROR: line 3: unknown phase name "biuld" in phases`},
		{"ErrWindowsShell", "version: 0.2\nenv:\n  shell: powershell.exe\n" + runs[13:], nil,
			sluice.FailureJobFailed, "env.shell powershell.exe is not supported"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t, tt.buildspec)
			if tt.modify != nil {
				tt.modify(&b.rc.Job.Data)
			}
			out := b.run(t)
			require.False(t, out.Success)
			require.Equal(t, tt.errorType, out.ErrorType)
			require.Contains(t, out.Summary, tt.want)
			require.NoFileExists(t, filepath.Join(b.src, "ran"))
		})
	}
}
