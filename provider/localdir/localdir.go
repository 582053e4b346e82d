// Package localdir stands in for every source action when `sluice run` runs a pipeline file
// locally: each source's output artifact is the content of one local directory.
package localdir

import (
	"context"
	"fmt"

	"sluice"
)

// Provider serves the given source action types from Dir.
type Provider struct {
	Dir     string
	Sources []sluice.ActionTypeID
}

var _ sluice.Provider = (*Provider)(nil)

func (p *Provider) Types() []sluice.ActionType {
	out := make([]sluice.ActionType, len(p.Sources))
	for i, id := range p.Sources {
		out[i] = sluice.ActionType{ID: id, OutputArtifactDetails: sluice.ArtifactDetails{MinimumCount: 1, MaximumCount: 1}}
	}
	return out
}

// Run hands the directory's files to every output artifact of the action.
func (p *Provider) Run(_ context.Context, rc *sluice.RunContext) (*sluice.Outcome, error) {
	out := &sluice.Outcome{Success: true, Summary: "Local directory " + p.Dir,
		Artifacts: map[string]sluice.ArtifactSource{}, Revision: &sluice.Revision{RevisionID: "local", Summary: p.Dir}}
	for _, o := range rc.Job.Data.OutputArtifacts {
		out.Artifacts[o.Name] = sluice.ArtifactSource{Dir: p.Dir}
	}
	fmt.Fprintf(rc.Log, "Using %s as the output of source action %s\n", p.Dir, rc.Job.ActionName)
	return out, nil
}

// SourceTypes lists the distinct source action types of a declaration.
func SourceTypes(d *sluice.PipelineDeclaration) []sluice.ActionTypeID {
	seen := map[sluice.ActionTypeID]bool{}
	var out []sluice.ActionTypeID
	for _, st := range d.Stages {
		for _, a := range st.Actions {
			if a.ActionTypeID.Category == sluice.CategorySource && !seen[a.ActionTypeID] {
				seen[a.ActionTypeID] = true
				out = append(out, a.ActionTypeID)
			}
		}
	}
	return out
}
