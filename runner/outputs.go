package runner

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"sluice"
	"sluice/artifact/zipfile"
)

// putOutputs stores every output artifact the job declares under the key it was given.
func (r *Runner) putOutputs(ctx context.Context, job *sluice.Job, out *sluice.Outcome) error {
	for _, ref := range job.Data.OutputArtifacts {
		src, ok := out.Artifacts[ref.Name]
		if !ok {
			return failf(sluice.FailureJobFailed, "the action did not produce output artifact %s", ref.Name)
		}
		var err error
		if src.ZipFile != "" {
			err = r.putZipFile(ctx, ref, src.ZipFile)
		} else {
			err = r.putDir(ctx, ref, src)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (r *Runner) putZipFile(ctx context.Context, ref sluice.OutputArtifactRef, name string) error {
	f, err := os.Open(name)
	if err != nil {
		return failf(sluice.FailureJobFailed, "output artifact %s: %v", ref.Name, err)
	}
	defer f.Close()
	if _, err := r.Artifacts.Put(ctx, ref.Key, f); err != nil {
		return failf(sluice.FailureSystemUnavailable, "cannot store output artifact %s: %v", ref.Name, err)
	}
	return nil
}

// errStoreStopped unblocks a zip writer whose reader, the store's Put, gave up early.
var errStoreStopped = errors.New("the artifact store stopped reading")

// putDir zips src straight into the store through a pipe: no zip file on disk, no copy.
func (r *Runner) putDir(ctx context.Context, ref sluice.OutputArtifactRef, src sluice.ArtifactSource) error {
	pr, pw := io.Pipe()
	var n int
	var zipErr error
	zipped := make(chan struct{})
	go func() {
		defer close(zipped)
		n, zipErr = zipfile.WriteDir(pw, src.Dir, src.Files)
		pw.CloseWithError(zipErr)
	}()
	_, putErr := r.Artifacts.Put(ctx, ref.Key, pr)
	pr.CloseWithError(errStoreStopped)
	<-zipped
	switch {
	case zipErr != nil && !errors.Is(zipErr, errStoreStopped):
		return failf(sluice.FailureJobFailed, "cannot zip output artifact %s: %v", ref.Name, zipErr)
	case putErr != nil:
		return failf(sluice.FailureSystemUnavailable, "cannot store output artifact %s: %v", ref.Name, putErr)
	case n == 0 && len(src.Files) > 0:
		return failf(sluice.FailureJobFailed, "output artifact %s: no files match %q", ref.Name, src.Files)
	}
	return nil
}

// maxOutputVariables is the model's bound on one action's output variables, in bytes.
const maxOutputVariables = 122880

// checkOutputVariables applies the model's rules (names [A-Za-z0-9@_-]+, 122,880 bytes in
// all) here, where the failure can name the variable, rather than at PutJobSuccessResult.
func checkOutputVariables(vars map[string]string) string {
	size := 0
	for k, v := range vars {
		if !validVariableName(k) {
			return fmt.Sprintf("invalid output variable name %q", k)
		}
		size += len(k) + len(v)
	}
	if size > maxOutputVariables {
		return fmt.Sprintf("output variables take %d bytes, more than the limit of %d", size, maxOutputVariables)
	}
	return ""
}

func validVariableName(k string) bool {
	for _, c := range k {
		if !(c == '@' || c == '-' || c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return k != ""
}
