// Package commands runs the Commands action (Compute/AWS/Commands/1): the action's shell
// commands, in one /bin/sh session on the worker, in the directory of its first input
// artifact. Commands run with `set -e` (the first failing command ends the run) in their
// own process group, which is killed whole when the job is stopped or times out, and when
// the shell exits (background processes do not outlive the action).
//
// The commands' environment is, lowest precedence first: the runner's (PATH, HOME, the
// CODEPIPELINE_* variables, CODEPIPELINE_INPUT_<artifact> and the operator's; never the
// worker's own environment), then what a CodeBuild container gives its commands, since AWS
// runs Commands on CodeBuild compute (CODEBUILD_SRC_DIR is the first input's directory,
// CODEBUILD_SRC_DIR_<artifact> each other input's, CODEBUILD_BUILD_ID, ..., see package
// buildenv), then the action's environmentVariables.
package commands

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"sluice"
)

// TypeID is the action type this provider runs.
var TypeID = sluice.ActionTypeID{
	Category: sluice.CategoryCompute, Owner: sluice.OwnerAWS, Provider: "Commands", Version: "1",
}

// Provider runs Commands jobs. The zero value is ready to use.
type Provider struct {
	// Region sets AWS_REGION, AWS_DEFAULT_REGION and the region of CODEBUILD_BUILD_ARN;
	// "" takes the region of the pipeline's ARN.
	Region string
	// Clock tells CODEBUILD_START_TIME; nil is the system clock.
	Clock sluice.Clock
}

var _ sluice.Provider = (*Provider)(nil)

// Types declares Commands: 1-10 inputs, 0-1 output, and the compute settings AWS accepts.
// Sluice runs the commands on the worker itself, so the settings are accepted and ignored.
func (*Provider) Types() []sluice.ActionType {
	prop := func(name, desc string) sluice.ActionConfigurationProperty {
		return sluice.ActionConfigurationProperty{Name: name, Description: desc, Type: "String"}
	}
	return []sluice.ActionType{{
		ID: TypeID,
		ConfigurationProperties: []sluice.ActionConfigurationProperty{
			prop("EnvironmentType", "LINUX_CONTAINER or WINDOWS_SERVER_2022_CONTAINER (ignored: commands run on the worker)"),
			prop("ComputeType", "BUILD_GENERAL1_SMALL, MEDIUM or LARGE (ignored)"),
			prop("VpcId", "VPC of the build environment (ignored)"),
			prop("Subnets", "Subnets of the build environment (ignored)"),
			prop("SecurityGroupIds", "Security groups of the build environment (ignored)"),
		},
		InputArtifactDetails:  sluice.ArtifactDetails{MinimumCount: 1, MaximumCount: 10},
		OutputArtifactDetails: sluice.ArtifactDetails{MinimumCount: 0, MaximumCount: 1},
	}}
}

// Run runs the job's commands. A command that fails, and a stop, are failed outcomes; an
// error means the shell could not be run at all.
func (p *Provider) Run(ctx context.Context, rc *sluice.RunContext) (*sluice.Outcome, error) {
	data := &rc.Job.Data
	if msg := checkJob(data); msg != "" {
		return configurationError(msg), nil
	}
	envVars, out, err := resolveSecrets(ctx, rc, data.Environment)
	if out != nil || err != nil {
		return out, err
	}
	env, msg := environment(append(append([]string(nil), rc.Env...), p.codebuildEnv(rc)...), envVars)
	if msg != "" {
		return configurationError(msg), nil
	}
	if rc.Sandbox == nil {
		return nil, errors.New("commands: no sandbox to run the commands in")
	}
	var varsFile string
	if len(data.OutputVariables) > 0 { // only then does the shell write them
		vars, err := outputDir(rc)
		if err != nil {
			return nil, err
		}
		varsFile = filepath.Join(vars, "output-variables")
	}
	run, err := runShell(ctx, shellParams{
		Script: script(data.Commands, data.OutputVariables, varsFile),
		Run:    sluice.SandboxCommand{Workspace: rc.Workspace, Dir: rc.WorkDir, Env: env},
		Box:    rc.Sandbox, Ready: rc.Shell, Log: rc.Log,
	})
	if err != nil {
		return nil, err
	}
	if f := run.failure(ctx); f != nil {
		return f, nil
	}
	if varsFile == "" {
		return success(rc, nil), nil
	}
	values, err := readVariables(varsFile)
	if err != nil {
		return nil, fmt.Errorf("read output variables: %w", err)
	}
	return success(rc, values), nil
}

func success(rc *sluice.RunContext, vars map[string]string) *sluice.Outcome {
	out := &sluice.Outcome{Success: true, OutputVariables: vars}
	if outputs := rc.Job.Data.OutputArtifacts; len(outputs) > 0 {
		out.Artifacts = map[string]sluice.ArtifactSource{
			outputs[0].Name: {Dir: rc.WorkDir, Files: outputs[0].Files},
		}
	}
	return out
}

func configurationError(msg string) *sluice.Outcome {
	return &sluice.Outcome{ErrorType: sluice.FailureConfigurationError, Summary: msg, ErrorMessage: msg}
}

// outputDir makes the directory, in the job's scratch directory, where the commands'
// shell writes the output variables, and hands it to the sandbox.
func outputDir(rc *sluice.RunContext) (string, error) {
	if rc.ScratchDir == "" {
		return "", errors.New("commands: the job has no scratch directory")
	}
	dir := filepath.Join(rc.ScratchDir, "commands")
	if err := os.Mkdir(dir, 0o700); err != nil {
		return "", err
	}
	return dir, rc.Sandbox.Own(dir)
}
