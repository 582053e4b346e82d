package trigger

import (
	"context"

	"sluice"
)

// Pipelines is what triggers read of the pipelines: the index of watched sources, and the
// pipelines and executions it names.
type Pipelines interface {
	sluice.Reader
	sluice.WatchIndex
}

// declarations returns the current declaration of each pipeline ws names, once each, in
// the order of ws. A pipeline deleted since the index was read is left out. The index only
// says where to look; what starts is decided on these declarations.
func declarations(ctx context.Context, store sluice.Reader, ws []sluice.SourceWatch) ([]*sluice.PipelineDeclaration, error) {
	seen := map[string]bool{}
	var out []*sluice.PipelineDeclaration
	for _, w := range ws {
		if seen[w.Pipeline] {
			continue
		}
		seen[w.Pipeline] = true
		p, err := store.GetPipeline(ctx, w.Pipeline, 0)
		if sluice.IsCode(err, sluice.ENotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, &p.Declaration)
	}
	return out, nil
}

// watch is a source action watching something, as a trigger sees it: its entry in the index
// of watched sources, with what its declaration says of how a change starts it.
type watch struct {
	sluice.SourceWatch
	trigger string                   // CodeCommit: the trigger type its executions record
	branch  string                   // connections: BranchName (Watched.Name is the repository)
	detect  bool                     // connections: DetectChanges is not "false"
	git     *sluice.GitConfiguration // connections: the V2 trigger declared for the action, if any
}
