package codebuild

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"sluice"
)

// Run runs one build. A failed build, a stop and a bad buildspec are failed outcomes; an
// error means the worker could not run the build at all.
func (p *Provider) Run(ctx context.Context, rc *sluice.RunContext) (*sluice.Outcome, error) {
	if rc.ScratchDir == "" {
		return nil, errors.New("codebuild: the job has no scratch directory")
	}
	if rc.Sandbox == nil {
		return nil, errors.New("codebuild: no sandbox to run the build in")
	}
	pl, out, err := p.newPlan(ctx, rc)
	if out != nil || err != nil {
		return out, err
	}
	ctx, cancel := p.withTimeout(ctx, pl.cfg.project.timeout)
	defer cancel()
	b, err := p.start(ctx, rc, pl)
	if err != nil {
		return nil, err
	}
	defer b.close()
	b.logStart()
	b.runPhases(ctx)
	return b.finish(ctx), nil
}

// plan is everything decided before the build starts.
type plan struct {
	cfg      *config
	src      specSource
	spec     *Buildspec
	warnings []string
	shell    string
	outputs  []outputSpec
	secrets  map[secretKey]string // resolved references (see resolveSecrets)
}

// newPlan checks the configuration, the project and the buildspec; what is wrong with them
// fails the job before any command runs.
func (p *Provider) newPlan(ctx context.Context, rc *sluice.RunContext) (*plan, *sluice.Outcome, error) {
	cfg, msg := readConfig(rc)
	if msg != "" {
		return nil, failed(sluice.FailureConfigurationError, msg, ""), nil
	}
	if cfg.batch {
		return nil, failed(sluice.FailureConfigurationError, "BatchEnabled: batch builds are not supported by Sluice", ""), nil
	}
	proj, msg, err := p.lookupProject(ctx, cfg.name)
	if err != nil {
		return nil, nil, err
	}
	if msg != "" {
		return nil, failed(sluice.FailureConfigurationError, msg, ""), nil
	}
	cfg.project = proj
	pl := &plan{cfg: cfg}
	if out, err := pl.readBuildspec(rc.Job.Data.Configuration["BuildSpec"]); out != nil || err != nil {
		return nil, out, err
	}
	if pl.shell, msg = shellPath(pl.spec.Env.Shell); msg != "" {
		return nil, pl.src.failure(msg), nil
	}
	if out, err := pl.resolveSecrets(ctx, rc); out != nil || err != nil {
		return nil, out, err
	}
	if pl.outputs, err = mapOutputs(rc.Job.Data.OutputArtifacts, pl.spec.Artifacts); err != nil {
		return nil, failed(sluice.FailureJobFailed, err.Error(), ""), nil
	}
	return pl, nil, nil
}

// readBuildspec finds and parses the buildspec: the action's BuildSpec, else the project's
// source.buildspec, else buildspec.yml. Problems with it fail the job: as a configuration
// error when it was given inline, as a failed build when it came from the source
// (CodeBuild's YAML_FILE_ERROR).
func (pl *plan) readBuildspec(value string) (*sluice.Outcome, error) {
	origin := "BuildSpec"
	if value == "" && pl.cfg.project.buildspec != "" {
		value, origin = pl.cfg.project.buildspec, "project "+pl.cfg.name+" source.buildspec"
	}
	src, err := loadBuildspec(value, pl.cfg.srcDir)
	src.origin = origin
	pl.src = src
	if errors.Is(err, errNoBuildspec) {
		return src.failure(err.Error()), nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the buildspec: %w", err)
	}
	if pl.spec, pl.warnings, err = Parse(src.data); err != nil {
		return src.failure(err.Error()), nil
	}
	return nil, nil
}

func (s specSource) failure(msg string) *sluice.Outcome {
	if s.location == "" {
		return failed(sluice.FailureConfigurationError, s.origin+": "+msg, "")
	}
	return failed(sluice.FailureJobFailed, "YAML_FILE_ERROR: "+msg, "")
}

// shellPath is the shell for env.shell: /bin/sh unless the buildspec asks for bash, as on
// CodeBuild's Linux images.
func shellPath(name string) (string, string) {
	switch name {
	case "", "sh", "/bin/sh":
		return "/bin/sh", ""
	case "bash", "/bin/bash", "/usr/bin/bash":
		path, err := exec.LookPath("bash")
		if err != nil {
			return "", "env.shell bash: bash is not installed on this worker"
		}
		return path, ""
	}
	return "", fmt.Sprintf("env.shell %s is not supported: Sluice runs builds with bash or /bin/sh", name)
}

func (p *Provider) start(ctx context.Context, rc *sluice.RunContext, pl *plan) (*build, error) {
	info, err := p.newBuildInfo(ctx, rc, pl.cfg.name, p.now())
	if err != nil {
		return nil, err
	}
	// The sessions' scripts, in a directory the sandbox's user may pass through, not change.
	files := filepath.Join(rc.ScratchDir, ".codebuild")
	if err := os.MkdirAll(files, 0o711); err != nil {
		return nil, err
	}
	if err := os.Chmod(files, 0o711); err != nil {
		return nil, err
	}
	log, err := newLogPipe(rc.Log, p.now)
	if err != nil {
		return nil, err
	}
	group, err := newProcessGroup(rc, log.w)
	if err != nil {
		log.close()
		return nil, err
	}
	return &build{plan: pl, rc: rc, info: info, log: log, group: group,
		files: files, env: pl.initialEnv(rc, info), dir: pl.cfg.srcDir}, nil
}

// close ends the build: background processes are killed, the log drained.
func (b *build) close() {
	b.group.close()
	b.log.close()
	_ = os.RemoveAll(b.files)
}

// finish turns the phases' result into the outcome, collecting artifacts and exported
// variables after a successful build.
func (b *build) finish(ctx context.Context) *sluice.Outcome {
	switch {
	case timedOut(ctx):
		return failed(sluice.FailureJobFailed, b.summary(fmt.Sprintf("Build timed out after %d minutes (the timeoutInMinutes of project %s)",
			b.cfg.project.timeout, b.cfg.name)), b.info.ID())
	case ctx.Err() != nil:
		return failed(sluice.FailureJobFailed, b.summary("The build was stopped"), b.info.ID())
	case b.failure != nil:
		return failed(sluice.FailureJobFailed, b.summary(b.failure.headline()), b.info.ID())
	}
	// The build's processes end before its files are read: none may swap a file for a
	// symlink while the worker collects them.
	b.group.close()
	arts, err := b.artifacts(b.outputs)
	if err != nil {
		return failed(sluice.FailureJobFailed, b.summary("Phase UPLOAD_ARTIFACTS failed: "+err.Error()), b.info.ID())
	}
	return &sluice.Outcome{Success: true, ExternalID: b.info.ID(), OutputVariables: b.exported(), Artifacts: arts}
}

func failed(errorType, msg, externalID string) *sluice.Outcome {
	return &sluice.Outcome{ErrorType: errorType, Summary: msg, ErrorMessage: msg, ExternalID: externalID}
}
