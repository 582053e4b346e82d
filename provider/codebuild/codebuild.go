// Package codebuild runs CodeBuild actions (Build/AWS/CodeBuild/1 and Test/AWS/CodeBuild/1)
// on the worker: it reads the buildspec (version 0.2, or legacy 0.1) from the primary
// source, runs its phases as CodeBuild does, and hands the artifacts it declares to the
// runner as the action's output artifacts.
//
// How a build runs:
//   - CODEBUILD_SRC_DIR is the primary input's directory (PrimarySource names it when the
//     action has several inputs); every other input is CODEBUILD_SRC_DIR_<artifact name>.
//   - ProjectName names a build project defined in Sluice (Provider.Projects: created with
//     CodeBuild's CreateProject on the server, or `sluice run --project FILE`). It is
//     looked up when the build starts, not when the pipeline is created; a name with no
//     project fails the action with a ConfigurationError that says how to create it,
//     unless AllowUndefinedProjects runs it with CodeBuild's defaults.
//   - The buildspec is the BuildSpec configuration value (a Sluice extension), else the
//     project's source.buildspec, else buildspec.yml in CODEBUILD_SRC_DIR. Either value is
//     inline YAML when it spans lines or starts with "version" or "{", else a path
//     relative to CODEBUILD_SRC_DIR.
//   - The project's timeoutInMinutes bounds the build: when it passes, the build's
//     processes are killed and the action fails, saying the timeout in minutes.
//   - Environment, lowest precedence first: the runner's (PATH, HOME, the CODEPIPELINE_*
//     variables and the operator's; never the worker's own environment), CODEBUILD_* (and AWS_REGION), the buildspec's
//     env.variables (taken literally), env.parameter-store and env.secrets-manager, the
//     project's environmentVariables, the action's EnvironmentVariables. References (the
//     buildspec's, and variables of type PARAMETER_STORE or SECRETS_MANAGER) are resolved
//     through RunContext.Secrets before any command runs; one that cannot be fails the
//     build naming it, and the runner masks every value in the log.
//   - Phases install, pre_build, build, post_build run in order, each in one shell
//     session (env.shell: /bin/sh by default, or bash) without set -e: each command is
//     judged by its own exit status, and the first failing one ends the phase. Shell
//     variables (exported or not) and the working directory a phase ends with carry into
//     the next, as in CodeBuild; functions and shell options do not. A phase's finally
//     block runs in a second session that starts where the commands left off. Background
//     processes live until the build ends: the whole build runs in one sandbox (the job's
//     sluice.Sandbox) and one process group, killed when the last phase ends (before the
//     artifacts are read) or the job is stopped.
//   - A failed install or pre_build ends the build; a failed build still runs post_build
//     (with CODEBUILD_BUILD_SUCCEEDING=0) unless the phase says on-failure: ABORT;
//     on-failure: CONTINUE goes on to the next phase. Any failed phase fails the action.
//   - env.exported-variables, read after the last phase, become the action's output
//     variables; unset ones are left out.
//   - Artifacts are chosen per output artifact (see mapOutputs): one output takes the
//     top-level artifact; several take the secondary-artifacts with their names, the
//     first falling back to the top-level one. $VARIABLES in files, base-directory and
//     exclude-paths are expanded with the variables the build ended with. Symlinks are
//     stored as links, never followed, whatever enable-symlinks says; name and s3-prefix
//     have no effect in a pipeline.
//
// Sections Sluice does not act on (reports, cache, batch, proxy, run-as,
// runtime-versions, git-credential-helper) and unknown keys are logged as warnings at the
// start of the build.
package codebuild

import (
	"context"
	"time"

	"sluice"
	"sluice/catalog"
)

// TypeIDs are the action types this provider runs.
var TypeIDs = []sluice.ActionTypeID{
	{Category: sluice.CategoryBuild, Owner: sluice.OwnerAWS, Provider: "CodeBuild", Version: "1"},
	{Category: sluice.CategoryTest, Owner: sluice.OwnerAWS, Provider: "CodeBuild", Version: "1"},
}

// Provider runs CodeBuild jobs. Set Projects, or AllowUndefinedProjects: the zero value
// fails every action, as no project is defined.
type Provider struct {
	// Projects resolves ProjectName; nil means no project is defined.
	Projects Projects
	// AllowUndefinedProjects runs an action whose project is not defined with CodeBuild's
	// defaults (buildspec.yml, no variables, a 60-minute timeout), saying so in the log,
	// instead of failing it. `sluice run` sets it: there, projects are optional files.
	AllowUndefinedProjects bool
	// Timeout bounds a build by its project's timeout d, ending the returned context with
	// cause when d has passed. nil is context.WithTimeoutCause; tests end builds on a
	// signal instead of after minutes.
	Timeout func(ctx context.Context, d time.Duration, cause error) (context.Context, context.CancelFunc)
	// Region sets AWS_REGION and AWS_DEFAULT_REGION and the region of CODEBUILD_BUILD_ARN;
	// "" takes the region of the pipeline's ARN.
	Region string
	// Clock stamps the log and CODEBUILD_START_TIME; nil is the system clock.
	Clock sluice.Clock
	// BuildNumber returns CODEBUILD_BUILD_NUMBER for a project (a counter, in CodeBuild).
	// nil uses the build's start time in Unix seconds, which only ever grows.
	BuildNumber func(ctx context.Context, project string) (int64, error)
}

var _ sluice.Provider = (*Provider)(nil)

// Types declares both CodeBuild types as the catalog has them, so validation and
// ListActionTypes agree with what runs.
func (*Provider) Types() []sluice.ActionType {
	var out []sluice.ActionType
	for _, id := range TypeIDs {
		if t, ok := catalog.Lookup(id); ok {
			out = append(out, t)
		}
	}
	return out
}

func (p *Provider) now() time.Time {
	if p.Clock != nil {
		return p.Clock.Now()
	}
	return time.Now()
}
