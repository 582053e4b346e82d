package codebuild

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"sluice"
	"sluice/provider/buildenv"
)

// environment is a build's variables by name; later layers replace earlier ones.
type environment map[string]string

func (e environment) set(list []string) {
	for _, kv := range list {
		if k, v, ok := strings.Cut(kv, "="); ok && k != "" {
			e[k] = v
		}
	}
}

// list returns KEY=VALUE pairs in name order, so runs are reproducible.
func (e environment) list() []string {
	out := make([]string, 0, len(e))
	for k, v := range e {
		out = append(out, k+"="+v)
	}
	sort.Strings(out)
	return out
}

// newBuildInfo names the build "<project>:<job id>" as CodeBuild names builds
// "<project>:<uuid>"; region and account come from the pipeline's ARN unless Region is set.
func (p *Provider) newBuildInfo(ctx context.Context, rc *sluice.RunContext, project string, start time.Time) (buildenv.Build, error) {
	b := buildenv.Build{Project: project, JobID: rc.Job.ID, PipelineName: rc.Job.PipelineName,
		PipelineARN: rc.Job.Data.PipelineArn, Region: p.Region, Start: start}
	if p.BuildNumber != nil {
		n, err := p.BuildNumber(ctx, project)
		if err != nil {
			return b, fmt.Errorf("build number of project %s: %w", project, err)
		}
		b.Number = n
	}
	return b, nil
}

// initialEnv layers the build's environment, lowest first: the runner's (PATH, HOME, the
// CODEPIPELINE_* variables and the operator's; never the worker's own environment), the
// CODEBUILD_* variables, the buildspec's env.variables, env.parameter-store and
// env.secrets-manager, the project's environmentVariables, then the action's
// EnvironmentVariables (CodeBuild's precedence, with the action configuration playing the
// start-build override). References are replaced by the values resolveSecrets fetched.
func (pl *plan) initialEnv(rc *sluice.RunContext, b buildenv.Build) environment {
	c, spec := pl.cfg, pl.spec
	env := environment{}
	env.set(rc.Env)
	for k, v := range codebuildVars(c, b) {
		env[k] = v
	}
	for k, v := range spec.Env.Variables {
		env[k] = v
	}
	for _, v := range layeredVars(spec, c) {
		env[v.Name] = pl.value(v)
	}
	return env
}

func codebuildVars(c *config, b buildenv.Build) map[string]string {
	b.SrcDir, b.Secondary, b.Revision = c.srcDir, c.secondary, c.revision
	return b.Vars()
}

// shellOwned are variables the shell sets for itself. They are left out when a phase's
// variables are carried to the next: exported, they would leak one shell's state (its
// pid, options, prompt) into the next shell or into the build's tools.
var shellOwned = map[string]bool{
	"_": true, "PPID": true, "SHLVL": true, "OLDPWD": true, "PWD": true, "IFS": true,
	"PS1": true, "PS2": true, "PS4": true, "OPTIND": true, "OPTARG": true, "LINENO": true,
	"RANDOM": true, "SRANDOM": true, "SECONDS": true, "EPOCHSECONDS": true,
	"EPOCHREALTIME": true, "HISTCMD": true, "EUID": true, "UID": true, "GROUPS": true,
	"FUNCNAME": true, "DIRSTACK": true, "PIPESTATUS": true, "HOSTTYPE": true,
	"MACHTYPE": true, "OSTYPE": true, "SHELLOPTS": true, "COLUMNS": true, "LINES": true,
	"COMP_WORDBREAKS": true, "HISTFILE": true, "HISTFILESIZE": true, "HISTSIZE": true,
	"MAILCHECK": true, "OPTERR": true, "BASH": true, "BASHOPTS": true, "BASHPID": true, "BASH_ALIASES": true,
	"BASH_ARGC": true, "BASH_ARGV": true, "BASH_ARGV0": true, "BASH_CMDS": true,
	"BASH_COMMAND": true, "BASH_LINENO": true, "BASH_SOURCE": true, "BASH_SUBSHELL": true,
	"BASH_VERSINFO": true, "BASH_VERSION": true, "BASH_EXECUTION_STRING": true,
	"BASH_REMATCH": true,
}

// carried keeps the dumped variables the next phase should see, and the directory the
// phase ended in.
func carried(dump environment) (environment, string) {
	dir := dump["PWD"]
	for k := range dump {
		if shellOwned[k] || strings.HasPrefix(k, scriptPrefix) {
			delete(dump, k)
		}
	}
	return dump, dir
}
