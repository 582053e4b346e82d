package codebuild

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"sluice"
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

// buildInfo is what the CODEBUILD_* variables describe.
type buildInfo struct {
	id, arn, region string
	number          int64
	start           time.Time
}

// newBuildInfo names the build "<project>:<job id>" as CodeBuild names builds
// "<project>:<uuid>"; region and account come from the pipeline's ARN.
func (p *Provider) newBuildInfo(ctx context.Context, rc *sluice.RunContext, project string, start time.Time) (buildInfo, error) {
	region, account := arnRegionAccount(rc.Job.Data.PipelineArn)
	if p.Region != "" {
		region = p.Region
	}
	b := buildInfo{id: project + ":" + rc.Job.ID, region: region, start: start, number: start.Unix()}
	b.arn = sluice.ARNScope{Region: region0(region), Account: account}.ARN(sluice.BuildARN, b.id)
	if p.BuildNumber != nil {
		n, err := p.BuildNumber(ctx, project)
		if err != nil {
			return b, fmt.Errorf("build number of project %s: %w", project, err)
		}
		b.number = n
	}
	return b, nil
}

// arnRegionAccount reads the region and account of a pipeline's ARN.
func arnRegionAccount(arn string) (string, string) {
	a, err := sluice.ParseARN(arn)
	if err != nil || a.Account == "" {
		return "", "000000000000"
	}
	return a.Region, a.Account
}

func region0(r string) string {
	if r == "" {
		return "us-east-1"
	}
	return r
}

// initialEnv layers the build's environment, lowest first: the runner's (PATH, HOME, the
// CODEPIPELINE_* variables and the operator's; never the worker's own environment), the
// CODEBUILD_* variables, the buildspec's env.variables, env.parameter-store and
// env.secrets-manager, the project's environmentVariables, then the action's
// EnvironmentVariables (CodeBuild's precedence, with the action configuration playing the
// start-build override). References are replaced by the values resolveSecrets fetched.
func (pl *plan) initialEnv(rc *sluice.RunContext, b buildInfo) environment {
	c, spec := pl.cfg, pl.spec
	env := environment{}
	env.set(rc.Env)
	for k, v := range codebuildVars(rc, c, b) {
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

func codebuildVars(rc *sluice.RunContext, c *config, b buildInfo) map[string]string {
	vars := map[string]string{
		"CODEBUILD_BUILD_ID":         b.id,
		"CODEBUILD_BUILD_ARN":        b.arn,
		"CODEBUILD_BUILD_NUMBER":     strconv.FormatInt(b.number, 10),
		"CODEBUILD_BUILD_SUCCEEDING": "1",
		"CODEBUILD_INITIATOR":        "codepipeline/" + rc.Job.PipelineName,
		"CODEBUILD_START_TIME":       strconv.FormatInt(b.start.UnixMilli(), 10),
		"CODEBUILD_LOG_PATH":         rc.Job.ID,
		"CODEBUILD_SRC_DIR":          c.srcDir,
	}
	for name, dir := range c.secondary {
		vars["CODEBUILD_SRC_DIR_"+name] = dir
	}
	if c.revision != "" {
		vars["CODEBUILD_RESOLVED_SOURCE_VERSION"] = c.revision
		vars["CODEBUILD_SOURCE_VERSION"] = c.revision
	}
	if b.region != "" {
		vars["AWS_REGION"], vars["AWS_DEFAULT_REGION"] = b.region, b.region
	}
	return vars
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

func isIdentifier(s string) bool {
	for i, c := range s {
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return s != ""
}
