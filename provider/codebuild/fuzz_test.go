package codebuild_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"sluice/provider/codebuild"
)

// FuzzParseBuildspec: any document parses or fails with a message, never panics; a parsed
// buildspec has a supported version and warnings that name their line, and written back as
// YAML it parses to the same buildspec. Seeds: the buildspec corpus, and the appspec corpus
// as other real YAML (Sluice does not parse appspecs).
func FuzzParseBuildspec(f *testing.F) {
	for _, dir := range []string{sharedCorpus("buildspecs"), sharedCorpus("appspecs")} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.yml")) // a missing corpus leaves the seeds below
		for _, name := range files {
			b, err := os.ReadFile(name)
			require.NoError(f, err)
			f.Add(b)
		}
	}
	for _, s := range []string{"version: 0.2", "version: 0.1\nenvironment_variables:\n  plaintext: {A: 1}", "",
		"version: 0.2\nphases:\n  build:\n    commands: echo a: b", "a: &a [*a]", "version: &v 0.2\nenv: {variables: {X: *v}}",
		"version: 0.2\nphases: {build: {on-failure: retry-3, commands: [x, null, 'y']}}\nartifacts: {files: '**/*', secondary-artifacts: {s: {files: [a]}}}"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		spec, warnings, err := codebuild.Parse(data)
		if err != nil {
			require.NotEmpty(t, err.Error())
			return
		}
		require.Contains(t, []string{"0.1", "0.2"}, spec.Version)
		for _, w := range warnings {
			require.True(t, strings.HasPrefix(w, "line "), w)
		}
		spec.Reports, spec.Cache, spec.Batch, spec.Proxy = nil, nil, nil, nil // not written back
		out, err := yaml.Marshal(specDoc(spec))
		require.NoError(t, err)
		again, _, err := codebuild.Parse(out)
		require.NoError(t, err, "%s", out)
		require.Equal(t, spec, again, "%s", out)
	})
}

// sharedCorpus is the directory sub of the shared corpus: $SLUICE_CORPUS_DIR/sub, or the
// first shared/corpus/sub above the working directory (so a git worktree finds it too).
func sharedCorpus(sub string) string {
	if root := os.Getenv("SLUICE_CORPUS_DIR"); root != "" {
		return filepath.Join(root, sub)
	}
	dir, _ := os.Getwd()
	for ; filepath.Dir(dir) != dir; dir = filepath.Dir(dir) {
		c := filepath.Join(dir, "shared", "corpus", sub)
		if _, err := os.Stat(c); err == nil {
			return c
		}
	}
	return filepath.Join(corpusDir, "..", sub)
}

// specDoc is the buildspec as a YAML document, every section Parse acts on.
func specDoc(s *codebuild.Buildspec) map[string]any {
	doc := map[string]any{"version": s.Version}
	put(doc, "run-as", s.RunAs)
	env := map[string]any{}
	put(env, "shell", s.Env.Shell)
	putMap(env, "variables", s.Env.Variables)
	putMap(env, "parameter-store", s.Env.ParameterStore)
	putMap(env, "secrets-manager", s.Env.SecretsManager)
	putList(env, "exported-variables", s.Env.ExportedVariables)
	if s.Env.GitCredentialHelper {
		env["git-credential-helper"] = "yes"
	}
	if len(env) > 0 {
		doc["env"] = env
	}
	phases := map[string]any{}
	for _, p := range s.Phases.InOrder() {
		ph := map[string]any{}
		put(ph, "run-as", p.RunAs)
		put(ph, "on-failure", p.OnFailure)
		putMap(ph, "runtime-versions", p.RuntimeVersions)
		putList(ph, "commands", p.Commands)
		putList(ph, "finally", p.Finally)
		phases[strings.ToLower(p.Name)] = ph
	}
	if len(phases) > 0 {
		doc["phases"] = phases
	}
	if a := s.Artifacts; a != nil {
		art := artifactDoc(a.ArtifactSpec)
		if len(a.Secondary) > 0 {
			secondary := map[string]any{}
			for id, spec := range a.Secondary {
				secondary[id] = artifactDoc(spec)
			}
			art["secondary-artifacts"] = secondary
		}
		doc["artifacts"] = art
	}
	return doc
}

func artifactDoc(s codebuild.ArtifactSpec) map[string]any {
	out := map[string]any{"discard-paths": s.DiscardPaths, "enable-symlinks": s.EnableSymlinks}
	putList(out, "files", s.Files)
	put(out, "name", s.Name)
	put(out, "base-directory", s.BaseDirectory)
	putList(out, "exclude-paths", s.ExcludePaths)
	put(out, "s3-prefix", s.S3Prefix)
	return out
}

func put(m map[string]any, key, value string) {
	if value != "" {
		m[key] = value
	}
}

func putList(m map[string]any, key string, values []string) {
	if values != nil {
		m[key] = values
	}
}

func putMap(m map[string]any, key string, values map[string]string) {
	if values != nil {
		m[key] = values
	}
}
