package codebuild

import (
	"context"
	"errors"
	"fmt"
	"time"

	"sluice"
)

// Projects finds the build projects actions name in ProjectName. The server passes its
// store; `sluice run` a ProjectMap of its --project files.
type Projects interface {
	// GetProject returns the named project, or an ENotFound error when there is none.
	GetProject(ctx context.Context, name string) (*sluice.BuildProject, error)
}

// ProjectMap is a fixed set of projects by name.
type ProjectMap map[string]*sluice.BuildProject

// GetProject returns the named project (ENotFound/Project).
func (m ProjectMap) GetProject(_ context.Context, name string) (*sluice.BuildProject, error) {
	if p, ok := m[name]; ok {
		return p, nil
	}
	return nil, sluice.Errorf(sluice.ENotFound, "Project", "Project %s does not exist.", name)
}

// errTimedOut ends a build's context when the project's timeout passes.
var errTimedOut = errors.New("the build timed out")

// project is what a build takes from its project.
type project struct {
	name      string
	defined   bool // false: an undefined project running with CodeBuild's defaults
	buildspec string
	variables []sluice.EnvironmentVariable
	timeout   int // minutes
}

// lookupProject resolves ProjectName. A message is a ConfigurationError; an error means the
// projects could not be read.
func (p *Provider) lookupProject(ctx context.Context, name string) (*project, string, error) {
	var (
		bp  *sluice.BuildProject
		err error
	)
	if p.Projects != nil {
		bp, err = p.Projects.GetProject(ctx, name)
	} else {
		err = sluice.Errorf(sluice.ENotFound, "Project", "no projects are defined")
	}
	switch {
	case sluice.IsCode(err, sluice.ENotFound) && p.AllowUndefinedProjects:
		return &project{name: name, timeout: sluice.DefaultBuildTimeout}, "", nil
	case sluice.IsCode(err, sluice.ENotFound):
		return nil, fmt.Sprintf("CodeBuild project %s not found: create it with "+
			"`aws codebuild create-project --name %s ... --endpoint-url <Sluice URL>` (or --cli-input-json file://project.json)",
			name, name), nil
	case err != nil:
		return nil, "", fmt.Errorf("read CodeBuild project %s: %w", name, err)
	}
	pr := &project{name: name, defined: true, buildspec: bp.Buildspec, variables: bp.Variables, timeout: bp.TimeoutInMinutes}
	if pr.timeout <= 0 {
		pr.timeout = sluice.DefaultBuildTimeout
	}
	return pr, "", nil
}

// withTimeout bounds the build by the project's timeout.
func (p *Provider) withTimeout(ctx context.Context, minutes int) (context.Context, context.CancelFunc) {
	d := time.Duration(minutes) * time.Minute
	if p.Timeout != nil {
		return p.Timeout(ctx, d, errTimedOut)
	}
	return context.WithTimeoutCause(ctx, d, errTimedOut)
}

// timedOut reports whether the build's context ended with the project's timeout.
func timedOut(ctx context.Context) bool { return errors.Is(context.Cause(ctx), errTimedOut) }
