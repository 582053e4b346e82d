package codebuild

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"sluice"
)

// outputSpec is an output artifact and the buildspec artifact that makes it.
type outputSpec struct {
	name string
	from string // "artifacts" or "secondary-artifacts.<id>", for the log
	spec ArtifactSpec
}

// mapOutputs decides which buildspec artifact makes each of the action's output artifacts,
// as CodePipeline and CodeBuild do:
//   - one output: the primary artifact (top-level files); when the buildspec has only
//     secondary artifacts, the one whose identifier is the output's name;
//   - several outputs: the secondary artifact whose identifier is the output's name; the
//     first output falls back to the primary artifact when no identifier matches (CodeBuild
//     makes the first output the build's primary artifact).
//
// An output nothing makes fails the build before it starts, naming the output.
func mapOutputs(outputs []sluice.OutputArtifactRef, a *Artifacts) ([]outputSpec, error) {
	if len(outputs) == 0 {
		return nil, nil
	}
	if a == nil {
		return nil, fmt.Errorf("the buildspec has no artifacts section, so output artifact %s would not be produced", outputs[0].Name)
	}
	primary := len(a.Files) > 0
	var out []outputSpec
	for i, o := range outputs {
		sec, named := a.Secondary[o.Name]
		switch {
		case primary && (len(outputs) == 1 || i == 0 && !named):
			out = append(out, outputSpec{name: o.Name, from: "artifacts", spec: a.ArtifactSpec})
		case named:
			out = append(out, outputSpec{name: o.Name, from: "secondary-artifacts." + o.Name, spec: sec})
		default:
			return nil, fmt.Errorf("output artifact %s is not produced: the buildspec's secondary-artifacts have no identifier %s (they have: %s)",
				o.Name, o.Name, identifiers(a.Secondary))
		}
	}
	return out, nil
}

func identifiers(m map[string]ArtifactSpec) string {
	if len(m) == 0 {
		return "none"
	}
	ids := make([]string, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return strings.Join(ids, ", ")
}

// artifacts collects every output artifact: CodeBuild's UPLOAD_ARTIFACTS phase.
func (b *build) artifacts(specs []outputSpec) (map[string]sluice.ArtifactSource, error) {
	if len(specs) == 0 {
		return nil, nil
	}
	b.log.printf("Entering phase UPLOAD_ARTIFACTS")
	out := make(map[string]sluice.ArtifactSource, len(specs))
	for _, s := range specs {
		src, err := b.artifact(s)
		if err != nil {
			b.log.printf("Phase complete: UPLOAD_ARTIFACTS State: FAILED")
			b.log.printf("Phase context status code: CLIENT_ERROR Message: %v", err)
			return nil, err
		}
		out[s.name] = src
	}
	b.log.printf("Phase complete: UPLOAD_ARTIFACTS State: SUCCEEDED")
	return out, nil
}

// artifact selects one artifact's files. Paths are expanded with the variables the build
// ended with (buildspecs name files "$VERSION.tar") and are relative to base-directory,
// itself relative to CODEBUILD_SRC_DIR. Plain selections are handed to the runner as a
// directory and globs; discard-paths and exclude-paths need the files staged first.
func (b *build) artifact(s outputSpec) (sluice.ArtifactSource, error) {
	expand := func(v string) string { return os.Expand(v, func(k string) string { return b.env[k] }) }
	files := expandAll(s.spec.Files, expand)
	if len(files) == 0 {
		return sluice.ArtifactSource{}, fmt.Errorf("%s for output artifact %s lists no files", s.from, s.name)
	}
	base, err := baseDir(b.cfg.srcDir, expand(s.spec.BaseDirectory))
	if err == nil {
		err = within(base, b.rc.Workspace, b.cfg.srcDir)
	}
	if err != nil {
		return sluice.ArtifactSource{}, fmt.Errorf("%s for output artifact %s: %w", s.from, s.name, err)
	}
	b.log.printf("Output artifact %s from %s: base directory %s, files %s", s.name, s.from, base, strings.Join(files, " "))
	excludes := expandAll(s.spec.ExcludePaths, expand)
	if !s.spec.DiscardPaths && len(excludes) == 0 {
		return sluice.ArtifactSource{Dir: base, Files: files}, nil
	}
	st := &stager{base: base, dst: filepath.Join(b.rc.ScratchDir, s.name), discard: s.spec.DiscardPaths, log: b.log}
	if err := st.run(files, excludes); err != nil {
		return sluice.ArtifactSource{}, fmt.Errorf("output artifact %s: %w", s.name, err)
	}
	if st.n == 0 {
		return sluice.ArtifactSource{}, fmt.Errorf("no matching artifact paths found for output artifact %s", s.name)
	}
	b.log.printf("Found %d file(s) for output artifact %s", st.n, s.name)
	return sluice.ArtifactSource{Dir: st.dst}, nil
}

func expandAll(values []string, expand func(string) string) []string {
	out := make([]string, 0, len(values))
	for _, v := range values {
		if v = expand(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// baseDir resolves base-directory, which may be a glob ("build/*/dist") as long as it
// names exactly one directory.
func baseDir(srcDir, dir string) (string, error) {
	if dir == "" {
		return srcDir, nil
	}
	full := dir
	if !filepath.IsAbs(full) {
		full = filepath.Join(srcDir, dir)
	}
	if strings.ContainsAny(dir, "*?[") {
		matches, err := filepath.Glob(full)
		if err != nil {
			return "", fmt.Errorf("base-directory %s: %w", dir, err)
		}
		if len(matches) != 1 {
			return "", fmt.Errorf("base-directory %s matches %d directories, not one", dir, len(matches))
		}
		full = matches[0]
	}
	fi, err := os.Stat(full)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return "", fmt.Errorf("no matching base directory path found for %s", dir)
	case err != nil:
		return "", err
	case !fi.IsDir():
		return "", fmt.Errorf("base-directory %s is not a directory", dir)
	}
	return full, nil
}

// within refuses a base directory outside the job's workspace (outside srcDir when the
// job has none), however it got there (an absolute path, a symlink the build made): the
// worker reads it with its own rights, which reach what the build's cannot.
func within(base, workspace, srcDir string) error {
	if workspace == "" {
		workspace = srcDir
	}
	real, err := filepath.EvalSymlinks(base)
	if err != nil {
		return err
	}
	root, err := filepath.EvalSymlinks(workspace)
	if err != nil {
		return err
	}
	if rel, err := filepath.Rel(root, real); err != nil || rel == ".." || strings.HasPrefix(rel, "../") {
		return fmt.Errorf("base-directory %s is outside the build's workspace", base)
	}
	return nil
}
