// Package localdir stands in for every source action when `sluice run` runs a pipeline file
// locally: each source's output artifact is the content of one local directory, and its
// output variables come from the git checkout that directory is in, if any.
package localdir

import (
	"context"
	"fmt"
	"strings"

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

// Run hands the directory's files to every output artifact of the action, and gives it the
// output variables of its type from the git checkout the directory is in when it is one, so
// that references such as #{SourceVariables.CommitId} resolve in a local run.
func (p *Provider) Run(ctx context.Context, rc *sluice.RunContext) (*sluice.Outcome, error) {
	out := &sluice.Outcome{Success: true, Summary: "Local directory " + p.Dir,
		Artifacts: map[string]sluice.ArtifactSource{}}
	for _, o := range rc.Job.Data.OutputArtifacts {
		out.Artifacts[o.Name] = sluice.ArtifactSource{Dir: p.Dir}
	}
	fmt.Fprintf(rc.Log, "Using %s as the output of source action %s\n", p.Dir, rc.Job.ActionName)
	c := checkoutCommit(ctx, p.Dir)
	out.OutputVariables = sourceVariables(rc.Job.Data.ActionTypeID.Provider, rc.Job.Data.Configuration, c)
	out.Revision = &sluice.Revision{RevisionID: c.ID, ChangeIdentifier: c.ID, Summary: c.Message, Created: c.CommitterDate}
	fmt.Fprintf(rc.Log, "Revision %s: %s\n", c.ID, strings.SplitN(c.Message, "\n", 2)[0])
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
