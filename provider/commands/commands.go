// Package commands runs the Commands action (Compute/AWS/Commands/1): the action's shell
// commands, in one /bin/sh session on the worker, in the directory of its first input
// artifact. Commands run with `set -e` (the first failing command ends the run) in their
// own process group, which is killed whole when the job is stopped or times out, and when
// the shell exits (background processes do not outlive the action).
package commands

import (
	"context"
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
type Provider struct{}

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
func (*Provider) Run(ctx context.Context, rc *sluice.RunContext) (*sluice.Outcome, error) {
	data := &rc.Job.Data
	if msg := checkJob(data); msg != "" {
		return configurationError(msg), nil
	}
	envVars, out, err := resolveSecrets(ctx, rc, data.Environment)
	if out != nil || err != nil {
		return out, err
	}
	env, msg := environment(rc.Env, envVars)
	if msg != "" {
		return configurationError(msg), nil
	}
	scratch, cleanup, err := scratchDir(rc.ScratchDir)
	if err != nil {
		return nil, err
	}
	defer cleanup()
	varsFile := filepath.Join(scratch, "output-variables")
	run, err := runShell(ctx, shellParams{
		Script: script(data.Commands, data.OutputVariables, varsFile),
		Dir:    rc.WorkDir, Env: env, Log: rc.Log,
	})
	if err != nil {
		return nil, err
	}
	if f := run.failure(ctx); f != nil {
		return f, nil
	}
	vars, err := readVariables(varsFile)
	if err != nil {
		return nil, fmt.Errorf("read output variables: %w", err)
	}
	return success(rc, vars), nil
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

// scratchDir returns the job's scratch directory, or a temporary one when the caller (a
// test, a tool) gave none.
func scratchDir(dir string) (string, func(), error) {
	if dir != "" {
		return dir, func() {}, nil
	}
	tmp, err := os.MkdirTemp("", "sluice-commands-")
	if err != nil {
		return "", nil, err
	}
	return tmp, func() { _ = os.RemoveAll(tmp) }, nil
}
