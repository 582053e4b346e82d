package runner

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"sluice"
)

// workspace is a job's private directory tree (layout in the package doc). The tree's
// top (the workspace, in/, scratch/) stays the worker's, so the action's code can neither
// replace nor redirect the directories the worker reads back; what the code writes to is
// handed to it (Sandbox.Own).
type workspace struct {
	dir    string
	spares *spares         // set when the workspace comes back as a spare after its job
	ready  *readyWorkspace // set when the job's shell was started ahead
}

// Modes: the workspace and its top directories may only be passed through (the sandbox's
// user reaches its own directories by name); what is inside is the job's alone.
const (
	passMode = 0o711
	ownMode  = 0o700
)

// newWorkspace gives the job its workspace: a spare renamed into place when one is ready,
// else one made now; either way it starts another spare for a later job, unless this
// workspace will be one when the job ends.
func (r *Runner) newWorkspace(job *sluice.Job) (*workspace, error) {
	jobID := job.ID
	if !validDirName(jobID) || strings.HasPrefix(jobID, ".") { // "." names are the runner's (removing, spares)
		return nil, failf(sluice.FailureConfigurationError, "invalid job id %q", jobID)
	}
	spares := sparesFor(r.WorkRoot)
	spares.sweepOnce(&r.bg)
	defer spares.refill(r.Sandbox, &r.bg)
	var w *workspace
	var err error
	if r.readyFor(job) {
		defer spares.makeReady(r.Sandbox, &r.bg) // once the work root exists
		if rw := spares.takeReady(); rw != nil {
			w = &workspace{dir: rw.dir, ready: rw}
		}
	}
	if w == nil {
		w, err = r.placeWorkspace(filepath.Join(r.WorkRoot, jobID), spares)
	}
	if w != nil && (r.Sandbox == nil || r.Sandbox.ReusableWorkspaces()) {
		w.spares = spares
		spares.Lend()
	}
	return w, err
}

// placeWorkspace puts a workspace at dir; it is nil when there is nothing to remove.
func (r *Runner) placeWorkspace(dir string, spares *spares) (*workspace, error) {
	w := &workspace{dir: dir}
	if spare := spares.Take(); spare != "" {
		err := os.Rename(spare, w.dir)
		if err != nil { // a workspace left by an earlier attempt that crashed
			_ = os.RemoveAll(w.dir)
			err = os.Rename(spare, w.dir)
		}
		if err == nil {
			return w, nil
		}
		_ = os.RemoveAll(spare)
	}
	err := os.Mkdir(w.dir, passMode)
	switch {
	case errors.Is(err, fs.ErrNotExist): // the first job on this worker makes the root
		if err = os.MkdirAll(r.WorkRoot, passMode); err == nil {
			err = os.Mkdir(w.dir, passMode)
		}
	case errors.Is(err, fs.ErrExist): // left by an earlier attempt that crashed
		if err = os.RemoveAll(w.dir); err == nil {
			err = os.Mkdir(w.dir, passMode)
		}
	}
	if err == nil {
		err = os.Chmod(w.dir, passMode) // the umask may have taken the x bits
	}
	if err != nil {
		return nil, failf(sluice.FailureSystemUnavailable, "cannot make the workspace: %v", err)
	}
	return w, w.skeleton(r.Sandbox)
}

// skeleton makes the directories every workspace has, handing those the action's code
// writes to to the sandbox's user.
func (w *workspace) skeleton(sb sluice.Sandbox) error {
	if err := w.mkdirs(passMode, "in", "scratch"); err != nil {
		return err
	}
	if err := w.mkdirs(ownMode, "home", "tmp"); err != nil {
		return err
	}
	return own(sb, filepath.Join(w.dir, "home"), filepath.Join(w.dir, "tmp"))
}

// removingPrefix names a finished job's workspace while it is deleted in the background.
const removingPrefix = ".removing-"

// remove takes the workspace from its name at once (one rename) and deletes the tree, or
// turns it into a spare, in the background, counted in bg: a job's result need not wait
// for the file system to unlink every file it left.
func (w *workspace) remove(sb sluice.Sandbox, bg *sync.WaitGroup) {
	gone := filepath.Join(filepath.Dir(w.dir), removingPrefix+filepath.Base(w.dir))
	err := os.Rename(w.dir, gone)
	if w.ready != nil {
		_ = w.ready.lock.Close() // no longer a ready workspace's name
	}
	if err != nil {
		_ = os.RemoveAll(w.dir)
		if w.spares != nil {
			w.spares.Back()
		}
		return
	}
	bg.Go(func() {
		if w.spares != nil {
			w.spares.giveBack(gone, sb)
		} else {
			_ = os.RemoveAll(gone)
		}
	})
}

// prepare unpacks the inputs and returns the provider's view of the job (Log not set).
func (w *workspace) prepare(ctx context.Context, p prepareParams) (*sluice.RunContext, error) {
	job := p.job
	inputs := job.Data.InputArtifacts
	rc := &sluice.RunContext{
		Job:        job,
		InputDirs:  make(map[string]string, len(inputs)),
		ScratchDir: filepath.Join(w.dir, "scratch"),
		Env:        baseEnv(job, w.dir, p.env, len(inputs)),
		Workspace:  w.dir,
		Sandbox:    p.sandbox,
	}
	for i, in := range inputs {
		if !validDirName(in.Name) {
			return nil, failf(sluice.FailureConfigurationError, "invalid input artifact name %q", in.Name)
		}
		dir := filepath.Join(w.dir, "in", in.Name)
		if err := w.fetch(ctx, p.store, in, dir); err != nil {
			return nil, err
		}
		if err := os.Chmod(dir, ownMode); err != nil {
			return nil, failf(sluice.FailureSystemUnavailable, "cannot make input artifact %s private: %v", in.Name, err)
		}
		if i == 0 {
			rc.WorkDir = dir
		}
		rc.InputDirs[in.Name] = dir
		rc.Env = append(rc.Env, inputEnvName(in.Name)+"="+dir)
	}
	owned := make([]string, 0, len(inputs)+1)
	for _, d := range rc.InputDirs {
		owned = append(owned, d)
	}
	if rc.WorkDir == "" {
		rc.WorkDir = filepath.Join(w.dir, "work")
		if err := w.mkdirs(ownMode, "work"); err != nil {
			return nil, err
		}
		owned = append(owned, rc.WorkDir)
	}
	return rc, own(p.sandbox, owned...)
}

type prepareParams struct {
	store   sluice.ArtifactStore
	job     *sluice.Job
	env     []string // the operator's additions to the environment
	sandbox sluice.Sandbox
}

func (w *workspace) mkdirs(mode os.FileMode, names ...string) error {
	for _, n := range names {
		dir := filepath.Join(w.dir, n)
		if err := os.Mkdir(dir, mode); err != nil {
			return failf(sluice.FailureSystemUnavailable, "cannot make the workspace's %s directory: %v", n, err)
		}
		if err := os.Chmod(dir, mode); err != nil {
			return failf(sluice.FailureSystemUnavailable, "cannot make the workspace's %s directory: %v", n, err)
		}
	}
	return nil
}

// own hands dirs to the sandbox's user. Without a sandbox there is nobody to hand them
// to: the provider refuses to run code.
func own(sb sluice.Sandbox, dirs ...string) error {
	if sb == nil {
		return nil
	}
	for _, d := range dirs {
		if err := sb.Own(d); err != nil {
			return failf(sluice.FailureSystemUnavailable, "cannot hand the workspace to the sandbox: %v", err)
		}
	}
	return nil
}

// validDirName accepts names that stay one directory below their parent.
func validDirName(name string) bool {
	return name != "" && name != "." && name != ".." && !strings.ContainsAny(name, "/\\\x00")
}
