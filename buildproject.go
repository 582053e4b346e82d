package sluice

import (
	"encoding/json"
	"time"
)

// CodeBuild's limits on a project's build timeout (timeoutInMinutes), in minutes.
const (
	DefaultBuildTimeout = 60
	MinBuildTimeout     = 5
	MaxBuildTimeout     = 2160
)

// BuildProject is a CodeBuild build project defined in Sluice (CodeBuild's CreateProject):
// the settings a CodeBuild action naming it in ProjectName runs with. The provider acts on
// the typed fields; Document keeps the whole project, so that the API answers with what it
// was given, members Sluice does not act on (vpcConfig, cache, logsConfig, ...) included.
type BuildProject struct {
	Name string
	ARN  string
	// Buildspec is source.buildspec: inline YAML, or a path relative to the primary
	// source; "" means buildspec.yml.
	Buildspec string
	// Variables are environment.environmentVariables in the order given.
	Variables []EnvironmentVariable
	// TimeoutInMinutes bounds every build of the project (MinBuildTimeout to
	// MaxBuildTimeout; DefaultBuildTimeout when the project does not say).
	TimeoutInMinutes int
	// Document is the project as a JSON object with the CodeBuild API's Project member
	// names, as created or last updated; the fields above are copies of members of it.
	Document json.RawMessage
	Created  time.Time
	// LastModified is when the project was created or last updated.
	LastModified time.Time
	// Revision counts the project's writes: 1 when created, one more on each update.
	Revision int
}
