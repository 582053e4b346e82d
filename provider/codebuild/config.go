package codebuild

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"sluice"
)

// config is what the action configuration and the job's inputs say about the build.
type config struct {
	name      string            // ProjectName
	project   *project          // set by the provider once it has looked the name up
	srcDir    string            // CODEBUILD_SRC_DIR: the primary input's directory
	secondary map[string]string // other inputs: artifact name -> directory
	revision  string            // the primary input's source revision, "" when unknown
	overrides []sluice.EnvironmentVariable
	batch     bool
}

// readConfig reads the action configuration; a message means a ConfigurationError.
func readConfig(rc *sluice.RunContext) (*config, string) {
	data := &rc.Job.Data
	c := &config{name: data.Configuration["ProjectName"], batch: strings.EqualFold(data.Configuration["BatchEnabled"], "true")}
	if c.name == "" {
		return nil, "ProjectName is required"
	}
	if msg := c.sources(rc); msg != "" {
		return nil, msg
	}
	vars, msg := overrides(data.Configuration["EnvironmentVariables"])
	if msg != "" {
		return nil, msg
	}
	c.overrides = vars
	return c, ""
}

// sources picks CODEBUILD_SRC_DIR. CodePipeline requires PrimarySource with more than one
// input; with one, that input is the primary source.
func (c *config) sources(rc *sluice.RunContext) string {
	inputs := rc.Job.Data.InputArtifacts
	primary := rc.Job.Data.Configuration["PrimarySource"]
	switch {
	case primary == "" && len(inputs) > 1:
		return "PrimarySource is required when the action has more than one input artifact"
	case primary == "" && len(inputs) == 1:
		primary = inputs[0].Name
	}
	c.srcDir = rc.WorkDir
	c.secondary = map[string]string{}
	found := primary == ""
	for _, in := range inputs {
		dir := rc.InputDirs[in.Name]
		if in.Name != primary {
			c.secondary[in.Name] = dir
			continue
		}
		found, c.revision = true, in.Revision
		if dir != "" {
			c.srcDir = dir
		}
	}
	if !found {
		return fmt.Sprintf("PrimarySource %s is not an input artifact of the action", primary)
	}
	if c.revision == "" && rc.Job.Data.Revision != nil {
		c.revision = rc.Job.Data.Revision.RevisionID
	}
	return ""
}

// overrides parses EnvironmentVariables: a JSON list of {name, value, type}, the type
// PLAINTEXT (the default), PARAMETER_STORE or SECRETS_MANAGER (the value a reference).
func overrides(raw string) ([]sluice.EnvironmentVariable, string) {
	if strings.TrimSpace(raw) == "" {
		return nil, ""
	}
	var vars []sluice.EnvironmentVariable
	if err := json.Unmarshal([]byte(raw), &vars); err != nil {
		return nil, fmt.Sprintf("EnvironmentVariables is not a JSON list of {name, value, type}: %v", err)
	}
	for _, v := range vars {
		switch {
		case v.Name == "" || strings.ContainsAny(v.Name, "=\x00"):
			return nil, fmt.Sprintf("EnvironmentVariables: invalid variable name %q", v.Name)
		case strings.HasPrefix(v.Name, "CODEBUILD_"):
			return nil, fmt.Sprintf("EnvironmentVariables: variable %s: names starting with CODEBUILD_ are reserved", v.Name)
		case v.Type != "" && v.Type != "PLAINTEXT" && !isSecretType(v.Type):
			return nil, fmt.Sprintf("EnvironmentVariables: variable %s: unknown type %q", v.Name, v.Type)
		case strings.IndexByte(v.Value, 0) >= 0:
			return nil, fmt.Sprintf("EnvironmentVariables: variable %s: the value contains a NUL byte", v.Name)
		}
	}
	return vars, ""
}

// specSource is where the buildspec came from, for the log and for messages.
type specSource struct {
	data     []byte
	location string // a path, or "" for an inline buildspec
	origin   string // what held the buildspec or its path: "BuildSpec" or "project P source.buildspec"
}

// errNoBuildspec marks a buildspec file that is not in the source: the source's fault, so
// a failed job rather than a configuration error.
var errNoBuildspec = errors.New("buildspec not found")

// loadBuildspec reads a buildspec value (the BuildSpec configuration, or a project's
// source.buildspec): inline YAML when it spans lines or starts like YAML content
// ("version:" or a flow mapping), else a path relative to the source directory. Without
// one, buildspec.yml in the source directory.
func loadBuildspec(value, srcDir string) (specSource, error) {
	v := strings.TrimSpace(value)
	if strings.Contains(v, "\n") || strings.HasPrefix(v, "version") || strings.HasPrefix(v, "{") {
		return specSource{data: []byte(value)}, nil
	}
	if v == "" {
		v = "buildspec.yml"
	}
	path := v
	if !filepath.IsAbs(path) {
		path = filepath.Join(srcDir, path)
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return specSource{location: path}, fmt.Errorf("%w: %s does not exist in the primary source", errNoBuildspec, v)
	}
	return specSource{data: data, location: path}, err
}
