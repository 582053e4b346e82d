package runner

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"sluice"
)

// workspace is a job's private directory tree (layout in the package doc).
type workspace struct {
	dir string
}

func newWorkspace(root, jobID string) (*workspace, error) {
	if !validDirName(jobID) {
		return nil, failf(sluice.FailureConfigurationError, "invalid job id %q", jobID)
	}
	w := &workspace{dir: filepath.Join(root, jobID)}
	err := os.Mkdir(w.dir, 0o755)
	switch {
	case errors.Is(err, fs.ErrNotExist): // the first job on this worker makes the root
		err = os.MkdirAll(w.dir, 0o755)
	case errors.Is(err, fs.ErrExist): // left by an earlier attempt that crashed
		if err = os.RemoveAll(w.dir); err == nil {
			err = os.Mkdir(w.dir, 0o755)
		}
	}
	if err != nil {
		return nil, failf(sluice.FailureSystemUnavailable, "cannot make the workspace: %v", err)
	}
	return w, nil
}

func (w *workspace) remove() { _ = os.RemoveAll(w.dir) }

// prepare unpacks the inputs and returns the provider's view of the job (Log not set).
func (w *workspace) prepare(ctx context.Context, store sluice.ArtifactStore, job *sluice.Job) (*sluice.RunContext, error) {
	inputs := job.Data.InputArtifacts
	rc := &sluice.RunContext{
		Job:        job,
		InputDirs:  make(map[string]string, len(inputs)),
		ScratchDir: filepath.Join(w.dir, "scratch"),
		Env:        baseEnv(job, len(inputs)),
	}
	for i, in := range inputs {
		if !validDirName(in.Name) {
			return nil, failf(sluice.FailureConfigurationError, "invalid input artifact name %q", in.Name)
		}
		dir := filepath.Join(w.dir, "in", in.Name)
		if err := w.fetch(ctx, store, in, dir); err != nil {
			return nil, err
		}
		if i == 0 {
			rc.WorkDir = dir
		}
		rc.InputDirs[in.Name] = dir
		rc.Env = append(rc.Env, inputEnvName(in.Name)+"="+dir)
	}
	if rc.WorkDir == "" {
		rc.WorkDir = filepath.Join(w.dir, "work")
		if err := os.Mkdir(rc.WorkDir, 0o755); err != nil {
			return nil, failf(sluice.FailureSystemUnavailable, "cannot make the work directory: %v", err)
		}
	}
	if err := os.Mkdir(rc.ScratchDir, 0o755); err != nil {
		return nil, failf(sluice.FailureSystemUnavailable, "cannot make the scratch directory: %v", err)
	}
	return rc, nil
}

func baseEnv(job *sluice.Job, inputs int) []string {
	return append(make([]string, 0, 6+inputs),
		"CODEPIPELINE_PIPELINE_NAME="+job.PipelineName,
		"CODEPIPELINE_EXECUTION_ID="+job.ExecutionID,
		"CODEPIPELINE_STAGE_NAME="+job.StageName,
		"CODEPIPELINE_ACTION_NAME="+job.ActionName,
		"CODEPIPELINE_ACTION_EXECUTION_ID="+job.ActionRunID,
		"CODEPIPELINE_JOB_ID="+job.ID,
	)
}

// inputEnvName makes a shell-usable variable name: artifact names may hold '-'.
func inputEnvName(artifact string) string {
	return "CODEPIPELINE_INPUT_" + strings.Map(func(r rune) rune {
		if r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
			return r
		}
		return '_'
	}, artifact)
}

// validDirName accepts names that stay one directory below their parent.
func validDirName(name string) bool {
	return name != "" && name != "." && name != ".." && !strings.ContainsAny(name, "/\\\x00")
}
