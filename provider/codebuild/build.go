package codebuild

import (
	"context"
	"fmt"
	"sort"

	"sluice"
	"sluice/provider/buildenv"
)

// build is one running build: its log, its process group and where its shell state is.
type build struct {
	*plan
	rc       *sluice.RunContext
	info     buildenv.Build
	log      *logPipe
	group    *processGroup
	files    string // scripts and dumps of the sessions
	sessions int
	env      environment // the variables the next session starts with
	dir      string      // the directory the next session starts in
	failure  *phaseFailure
}

// phaseFailure is the first phase that failed, which the failure summary reports.
type phaseFailure struct {
	phase  string
	result sessionResult
}

// runPhases runs the phases in CodeBuild's order and flow: after a failed phase the build
// goes on only when the phase says on-failure: CONTINUE, or when BUILD failed without an
// on-failure of its own (POST_BUILD still runs, seeing CODEBUILD_BUILD_SUCCEEDING=0).
func (b *build) runPhases(ctx context.Context) {
	for _, ph := range b.spec.Phases.InOrder() {
		if ctx.Err() != nil {
			return
		}
		if b.runPhase(ctx, ph) || ph.OnFailure == "CONTINUE" || ph.Name == "BUILD" && ph.OnFailure == "" {
			continue
		}
		return
	}
}

// runPhase runs a phase's commands and then its finally block, which runs whatever the
// commands did; the phase fails when either does.
func (b *build) runPhase(ctx context.Context, ph NamedPhase) bool {
	b.log.printf("Entering phase %s", ph.Name)
	res := b.session(ctx, ph.Commands, b.failure == nil)
	if len(ph.Finally) > 0 && ctx.Err() == nil {
		if fin := b.session(ctx, ph.Finally, b.failure == nil && res.ok); res.ok {
			res = fin
		}
	}
	if res.ok {
		b.log.printf("Phase complete: %s State: SUCCEEDED", ph.Name)
		return true
	}
	if b.failure == nil {
		b.failure = &phaseFailure{phase: ph.Name, result: res}
	}
	switch {
	case timedOut(ctx):
		b.log.printf("Phase complete: %s State: TIMED_OUT", ph.Name)
		return false
	case ctx.Err() != nil:
		b.log.printf("Phase complete: %s State: STOPPED", ph.Name)
		return false
	}
	b.log.printf("Phase complete: %s State: FAILED", ph.Name)
	b.log.printf("Phase context status code: COMMAND_EXECUTION_ERROR Message: %s", res.message())
	return false
}

// exported reads env.exported-variables from the variables the last phase ended with.
// A variable that is not set is left out (and logged).
func (b *build) exported() map[string]string {
	names := b.spec.Env.ExportedVariables
	if len(names) == 0 {
		return nil
	}
	vars := make(map[string]string, len(names))
	for _, name := range names {
		if v, ok := b.env[name]; ok {
			vars[name] = v
		} else {
			b.log.printf("Exported variable %s is not set: not exported", name)
		}
	}
	return vars
}

// logStart writes what CodeBuild logs before the first phase.
func (b *build) logStart() {
	b.log.printf("Running %s for project %s on a Sluice worker", b.info.ID(), b.cfg.name)
	if !b.cfg.project.defined {
		b.log.printf("Project %s is not defined here: running with CodeBuild's defaults (buildspec.yml, no variables)", b.cfg.name)
	}
	b.log.printf("Build timeout: %d minutes", b.cfg.project.timeout)
	b.log.printf("CODEBUILD_SRC_DIR=%s", b.cfg.srcDir)
	names := make([]string, 0, len(b.cfg.secondary))
	for name := range b.cfg.secondary {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		b.log.printf("CODEBUILD_SRC_DIR_%s=%s", name, b.cfg.secondary[name])
	}
	switch {
	case b.src.location == "" && b.src.origin == "BuildSpec":
		b.log.printf("Using the buildspec from the action's BuildSpec configuration")
	case b.src.location == "":
		b.log.printf("Using the buildspec from %s", b.src.origin)
	default:
		b.log.printf("YAML location is %s", b.src.location)
	}
	for _, w := range b.warnings {
		b.log.printf("Warning: buildspec %s", w)
	}
	b.log.printf("Moving to directory %s", b.dir)
}

// summary is the failed outcome's text: what failed, then the end of the log.
func (b *build) summary(headline string) string {
	b.log.sync()
	if t := b.log.tail.String(); t != "" {
		return headline + "\n" + t
	}
	return headline
}

func (f *phaseFailure) headline() string {
	return fmt.Sprintf("Phase %s failed: %s", f.phase, f.result.message())
}
