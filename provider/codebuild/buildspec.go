package codebuild

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Buildspec is a parsed buildspec.yml (SEMANTICS §12). Sections Sluice does not act on
// (reports, cache, batch, proxy, run-as, runtime-versions) are still parsed, so a caller
// can see them, and Parse warns about each.
type Buildspec struct {
	Version   string // "0.2", or "0.1" (legacy syntax, run with 0.2 semantics)
	RunAs     string
	Env       Env
	Phases    Phases
	Artifacts *Artifacts // nil when the buildspec has no artifacts section
	Reports   map[string]Report
	Cache     *Cache
	Batch     *Batch
	Proxy     *Proxy
}

// Env is the buildspec's env section (0.1's environment_variables.plaintext lands in
// Variables). Names starting with CODEBUILD_ are reserved and dropped from Variables.
type Env struct {
	Shell               string
	Variables           map[string]string
	ParameterStore      map[string]string // variable name -> SSM parameter name
	SecretsManager      map[string]string // variable name -> secret-id:json-key:stage:version
	ExportedVariables   []string
	GitCredentialHelper bool
}

// Phases holds the four build phases; an absent phase is nil.
type Phases struct {
	Install, PreBuild, Build, PostBuild *Phase
}

// Phase is one phase's commands.
type Phase struct {
	RunAs           string
	OnFailure       string            // "ABORT", "CONTINUE", or "" for CodeBuild's default flow
	RuntimeVersions map[string]string // install only
	Commands        []string
	Finally         []string
}

// NamedPhase is a phase with its CodeBuild name (INSTALL, PRE_BUILD, BUILD, POST_BUILD).
type NamedPhase struct {
	Name string
	*Phase
}

// InOrder lists the phases present, in the order they run.
func (p Phases) InOrder() []NamedPhase {
	var out []NamedPhase
	for _, ph := range []NamedPhase{{"INSTALL", p.Install}, {"PRE_BUILD", p.PreBuild}, {"BUILD", p.Build}, {"POST_BUILD", p.PostBuild}} {
		if ph.Phase != nil {
			out = append(out, ph)
		}
	}
	return out
}

// ArtifactSpec says which files make up one artifact. Files, BaseDirectory and
// ExcludePaths may hold $VARIABLES, expanded with the environment at the end of the build.
type ArtifactSpec struct {
	Files          []string
	Name           string // ignored in a pipeline: the output artifact's name is used
	DiscardPaths   bool
	BaseDirectory  string
	ExcludePaths   []string
	EnableSymlinks bool   // symlinks are always stored as links (see package doc)
	S3Prefix       string // ignored in a pipeline
}

// Artifacts is the artifacts section: the primary artifact and the secondary ones by
// identifier.
type Artifacts struct {
	ArtifactSpec
	Secondary map[string]ArtifactSpec
}

// Report is one report group's entry (parsed, not acted on).
type Report struct {
	Files         []string
	BaseDirectory string
	DiscardPaths  bool
	FileFormat    string
}

// Cache is the cache section (parsed, not acted on).
type Cache struct{ Paths []string }

// Batch is the batch section (parsed, not acted on): Kind is build-list, build-matrix or
// build-graph.
type Batch struct {
	FastFail bool
	Kind     string
}

// Proxy is the proxy section (parsed, not acted on).
type Proxy struct{ UploadArtifacts, Logs bool }

// ErrNoVersion is returned by Parse for a buildspec without a version key.
var ErrNoVersion = errors.New("the buildspec has no version")

// Parse reads a buildspec. It fails on YAML errors, a missing or unknown version and
// values of the wrong shape; anything Sluice parses but does not act on, and any key it
// does not know, becomes a warning ("line N: ...") instead of being silently ignored.
func Parse(data []byte) (*Buildspec, []string, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, nil, fmt.Errorf("invalid YAML: %w", err)
	}
	if len(doc.Content) == 0 {
		return nil, nil, errors.New("the buildspec is empty")
	}
	root := resolve(doc.Content[0])
	if root.Kind != yaml.MappingNode {
		return nil, nil, fmt.Errorf("line %d: the buildspec must be a mapping", root.Line)
	}
	d := &decoder{}
	spec := &Buildspec{Version: version(d, root)}
	if d.err != nil {
		return nil, nil, d.err
	}
	d.fields(root, "", spec.topLevel(d))
	if d.err != nil {
		return nil, nil, d.err
	}
	return spec, d.warnings, nil
}

// version reads the version first: it decides how the other keys are read.
func version(d *decoder, root *yaml.Node) string {
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value != "version" {
			continue
		}
		v := d.scalar(root.Content[i+1], "version")
		switch v {
		case "0.2":
		case "0.1":
			d.warn(root.Content[i], "version 0.1: commands run in one shell session per phase, as in version 0.2")
		default:
			d.fail(root.Content[i+1], "buildspec version %q is not supported (use 0.2)", v)
		}
		return v
	}
	d.err = ErrNoVersion
	return ""
}

func (s *Buildspec) topLevel(d *decoder) map[string]func(*yaml.Node) {
	h := map[string]func(*yaml.Node){
		"version": func(*yaml.Node) {},
		"run-as": func(n *yaml.Node) {
			s.RunAs = d.scalar(n, "run-as")
			d.warn(n, "run-as is not supported: commands run as the worker's user")
		},
		"env":       func(n *yaml.Node) { s.Env = d.env(n, "env") },
		"phases":    func(n *yaml.Node) { s.Phases = d.phases(n) },
		"artifacts": func(n *yaml.Node) { s.Artifacts = d.artifacts(n) },
		"reports":   func(n *yaml.Node) { s.Reports = d.reports(n) },
		"cache":     func(n *yaml.Node) { s.Cache = d.cache(n) },
		"batch":     func(n *yaml.Node) { s.Batch = d.batch(n) },
		"proxy":     func(n *yaml.Node) { s.Proxy = d.proxy(n) },
	}
	if s.Version == "0.1" {
		h["environment_variables"] = func(n *yaml.Node) {
			d.fields(n, "environment_variables", map[string]func(*yaml.Node){
				"plaintext": func(v *yaml.Node) { s.Env.Variables = d.variables(v, "environment_variables.plaintext") },
			})
		}
	}
	return h
}

func (d *decoder) env(n *yaml.Node, path string) Env {
	var e Env
	d.fields(n, path, map[string]func(*yaml.Node){
		"shell":     func(v *yaml.Node) { e.Shell = d.scalar(v, path+".shell") },
		"variables": func(v *yaml.Node) { e.Variables = d.variables(v, path+".variables") },
		"parameter-store": func(v *yaml.Node) {
			e.ParameterStore = d.stringMap(v, path+".parameter-store")
		},
		"secrets-manager": func(v *yaml.Node) {
			e.SecretsManager = d.stringMap(v, path+".secrets-manager")
		},
		"exported-variables": func(v *yaml.Node) { e.ExportedVariables = d.exported(v, path+".exported-variables") },
		"git-credential-helper": func(v *yaml.Node) {
			if e.GitCredentialHelper = d.flag(v, path+".git-credential-helper"); e.GitCredentialHelper {
				d.warn(v, "git-credential-helper is not supported: ignored")
			}
		},
	})
	return e
}

// variables drops reserved names, as CodeBuild refuses them.
func (d *decoder) variables(n *yaml.Node, path string) map[string]string {
	vars := d.stringMap(n, path)
	for _, name := range sortedNames(vars) {
		if strings.HasPrefix(name, "CODEBUILD_") {
			d.warn(n, "variable %s: names starting with CODEBUILD_ are reserved: ignored", name)
			delete(vars, name)
		}
	}
	return vars
}

// exported drops what CodeBuild does not export: AWS_* names (credentials live there).
func (d *decoder) exported(n *yaml.Node, path string) []string {
	names := d.list(n, path)
	return slices.DeleteFunc(names, func(name string) bool {
		if strings.HasPrefix(name, "AWS_") {
			d.warn(n, "exported variable %s: AWS_ variables cannot be exported: ignored", name)
			return true
		}
		return false
	})
}

func sortedNames[V any](m map[string]V) []string {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}
