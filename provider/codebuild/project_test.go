package codebuild_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/provider/codebuild"
	"sluice/provider/proctest"
)

// define replaces the bundle's project "proj" with p (named proj).
func (b *bundle) define(p *sluice.BuildProject) {
	p.Name = "proj"
	b.provider.Projects = codebuild.ProjectMap{"proj": p}
}

func TestProjectBuildspec(t *testing.T) {
	t.Parallel()
	const spec = "version: 0.2\nphases:\n  build:\n    commands: ['echo %s > which.txt']\n"
	fromSource := strings.Replace(spec, "%s", "source", 1)

	t.Run("PathInTheSource", func(t *testing.T) {
		t.Parallel()
		b := setup(t, fromSource)
		writeFile(t, filepath.Join(b.src, "ci", "spec.yml"), strings.Replace(spec, "%s", "project", 1))
		b.define(&sluice.BuildProject{Buildspec: "ci/spec.yml", TimeoutInMinutes: 60})
		out := b.run(t)
		require.True(t, out.Success, out.Summary)
		require.Equal(t, "project\n", b.read(t, "which.txt"))
		require.Contains(t, b.log.String(), "YAML location is "+filepath.Join(b.src, "ci", "spec.yml"))
	})
	t.Run("Inline", func(t *testing.T) {
		t.Parallel()
		b := setup(t, fromSource)
		b.define(&sluice.BuildProject{Buildspec: strings.Replace(spec, "%s", "inline", 1), TimeoutInMinutes: 60})
		out := b.run(t)
		require.True(t, out.Success, out.Summary)
		require.Equal(t, "inline\n", b.read(t, "which.txt"))
		require.Contains(t, b.log.String(), "Using the buildspec from project proj source.buildspec")
	})
	t.Run("ActionBuildSpecWins", func(t *testing.T) {
		t.Parallel()
		b := setup(t, fromSource)
		b.define(&sluice.BuildProject{Buildspec: "ci/missing.yml", TimeoutInMinutes: 60})
		b.rc.Job.Data.Configuration["BuildSpec"] = strings.Replace(spec, "%s", "action", 1)
		out := b.run(t)
		require.True(t, out.Success, out.Summary)
		require.Equal(t, "action\n", b.read(t, "which.txt"))
	})
	t.Run("ErrBadInline", func(t *testing.T) {
		t.Parallel()
		b := setup(t, fromSource)
		b.define(&sluice.BuildProject{Buildspec: "version: 0.3\nphases: {}\n", TimeoutInMinutes: 60})
		out := b.run(t)
		require.False(t, out.Success)
		require.Equal(t, sluice.FailureConfigurationError, out.ErrorType)
		require.Contains(t, out.Summary, `project proj source.buildspec: line 1: buildspec version "0.3" is not supported`)
	})
	t.Run("ErrPathMissing", func(t *testing.T) {
		t.Parallel()
		b := setup(t, fromSource)
		b.define(&sluice.BuildProject{Buildspec: "ci/missing.yml", TimeoutInMinutes: 60})
		out := b.run(t)
		require.False(t, out.Success)
		require.Equal(t, sluice.FailureJobFailed, out.ErrorType)
		require.Contains(t, out.Summary, "YAML_FILE_ERROR: buildspec not found: ci/missing.yml does not exist")
	})
}

func TestProjectVariables(t *testing.T) {
	t.Parallel()
	const dump = "version: 0.2\nenv:\n  variables: {FROM_SPEC: spec, SPEC_PROJECT: spec, ALL: spec}\n" +
		"phases:\n  build:\n    commands: ['echo \"$FROM_SPEC $SPEC_PROJECT $ALL $ONLY_PROJECT\" > vars.txt']\n"

	t.Run("Precedence", func(t *testing.T) {
		t.Parallel()
		// The action overrides the project, which overrides the buildspec.
		b := setup(t, dump)
		b.define(&sluice.BuildProject{TimeoutInMinutes: 60, Variables: []sluice.EnvironmentVariable{
			{Name: "SPEC_PROJECT", Value: "project", Type: "PLAINTEXT"}, {Name: "ALL", Value: "project"},
			{Name: "ONLY_PROJECT", Value: "project-only"}}})
		b.rc.Job.Data.Configuration["EnvironmentVariables"] = `[{"name":"ALL","value":"action","type":"PLAINTEXT"}]`
		out := b.run(t)
		require.True(t, out.Success, out.Summary)
		require.Equal(t, "spec project action project-only\n", b.read(t, "vars.txt"))
	})
	t.Run("ErrSecretVariable", func(t *testing.T) {
		t.Parallel()
		b := setup(t, dump)
		b.define(&sluice.BuildProject{TimeoutInMinutes: 60, Variables: []sluice.EnvironmentVariable{
			{Name: "DB_PASSWORD", Value: "prod/db", Type: "SECRETS_MANAGER"}, {Name: "TOKEN", Value: "/ci/token", Type: "PARAMETER_STORE"}}})
		out := b.run(t)
		require.False(t, out.Success)
		require.Equal(t, sluice.FailureConfigurationError, out.ErrorType)
		require.Contains(t, out.Summary, "refers to SECRETS_MANAGER prod/db, and this worker cannot resolve secrets")
		require.NoFileExists(t, filepath.Join(b.src, "vars.txt"))
	})
	t.Run("ActionSuppliesTheSecret", func(t *testing.T) {
		t.Parallel()
		b := setup(t, dump)
		b.define(&sluice.BuildProject{TimeoutInMinutes: 60, Variables: []sluice.EnvironmentVariable{
			{Name: "ONLY_PROJECT", Value: "/ci/token", Type: "PARAMETER_STORE"}}})
		b.rc.Job.Data.Configuration["EnvironmentVariables"] = `[{"name":"ONLY_PROJECT","value":"plain"}]`
		out := b.run(t)
		require.True(t, out.Success, out.Summary)
		require.Equal(t, "spec spec spec plain\n", b.read(t, "vars.txt"))
	})
	t.Run("ProjectSuppliesTheBuildspecParameter", func(t *testing.T) {
		t.Parallel()
		b := setup(t, "version: 0.2\nenv:\n  parameter-store:\n    LOGIN: /ci/login\nphases:\n  build:\n    commands: ['echo $LOGIN > login.txt']\n")
		b.define(&sluice.BuildProject{TimeoutInMinutes: 60, Variables: []sluice.EnvironmentVariable{{Name: "LOGIN", Value: "me"}}})
		out := b.run(t)
		require.True(t, out.Success, out.Summary)
		require.Equal(t, "me\n", b.read(t, "login.txt"))
	})
}

func TestUndefinedProject(t *testing.T) {
	t.Parallel()
	const runs = "version: 0.2\nphases:\n  build:\n    commands: [touch ran]\n"

	t.Run("ErrNotFound", func(t *testing.T) {
		t.Parallel()
		b := setup(t, runs)
		b.rc.Job.Data.Configuration["ProjectName"] = "nope"
		out := b.run(t)
		require.False(t, out.Success)
		require.Equal(t, sluice.FailureConfigurationError, out.ErrorType)
		require.Contains(t, out.Summary, "CodeBuild project nope not found: create it with `aws codebuild create-project --name nope")
		require.NoFileExists(t, filepath.Join(b.src, "ran"))
	})
	t.Run("ErrNoProjects", func(t *testing.T) {
		t.Parallel()
		b := setup(t, runs)
		b.provider.Projects = nil
		out := b.run(t)
		require.Equal(t, sluice.FailureConfigurationError, out.ErrorType)
		require.Contains(t, out.Summary, "CodeBuild project proj not found")
	})
	t.Run("AllowedRunsWithDefaults", func(t *testing.T) {
		t.Parallel()
		b := setup(t, runs)
		b.provider.Projects, b.provider.AllowUndefinedProjects = nil, true
		out := b.run(t)
		require.True(t, out.Success, out.Summary)
		require.FileExists(t, filepath.Join(b.src, "ran"))
		require.Contains(t, b.log.String(), "Project proj is not defined here: running with CodeBuild's defaults")
		require.Contains(t, b.log.String(), "Build timeout: 60 minutes")
	})
	t.Run("ErrLookupFails", func(t *testing.T) {
		t.Parallel()
		b := setup(t, runs)
		b.provider.Projects = failingProjects{}
		_, err := b.provider.Run(t.Context(), b.rc)
		require.ErrorContains(t, err, "read CodeBuild project proj: disk on fire")
	})
}

type failingProjects struct{}

func (failingProjects) GetProject(context.Context, string) (*sluice.BuildProject, error) {
	return nil, errors.New("disk on fire")
}

// TestProjectTimeout ends a build with the project's timeout. The timer is the test's: it
// fires once the build is running, so the test waits on signals, never on minutes.
func TestProjectTimeout(t *testing.T) {
	t.Parallel()
	// The pid line comes while BUILD runs, and BUILD waits until it is killed.
	b := setup(t, `version: 0.2
phases:
  build:
    commands:
      - sleep 1000 &
      - echo "pid=$!"
      - wait
  post_build:
    commands:
      - touch post_build.txt
`)
	b.define(&sluice.BuildProject{TimeoutInMinutes: 7})
	bounds := make(chan time.Duration, 1)
	fire := make(chan func(), 1)
	b.provider.Timeout = func(ctx context.Context, d time.Duration, cause error) (context.Context, context.CancelFunc) {
		bounds <- d
		ctx, cancel := context.WithCancelCause(ctx)
		fire <- func() { cancel(cause) }
		return ctx, func() { cancel(context.Canceled) }
	}
	type result struct {
		out *sluice.Outcome
		err error
	}
	done := make(chan result, 1)
	go func() {
		out, err := b.provider.Run(t.Context(), b.rc)
		done <- result{out, err}
	}()
	require.Equal(t, 7*time.Minute, <-bounds)
	pidfd := proctest.WatchExit(t, <-b.log.Pids) // the build is running
	(<-fire)()
	res := <-done
	require.NoError(t, res.err)
	out := res.out
	require.False(t, out.Success)
	require.Equal(t, sluice.FailureJobFailed, out.ErrorType)
	require.True(t, strings.HasPrefix(out.Summary, "Build timed out after 7 minutes (the timeoutInMinutes of project proj)"), out.Summary)
	require.Contains(t, b.log.String(), "Phase complete: BUILD State: TIMED_OUT")
	require.NotContains(t, b.log.String(), "Entering phase POST_BUILD")
	proctest.WaitExit(t, pidfd) // the build's processes are killed
}
