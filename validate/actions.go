package validate

import (
	"fmt"

	"sluice"
)

// checkActionNames enforces unique action names within each stage.
func checkActionNames(c *check) *sluice.Error {
	seen := map[string]bool{}
	for _, r := range c.actions {
		key := fmt.Sprintf("%d/%s", r.stage, r.a.Name)
		if seen[key] {
			return sluice.Errorf(sluice.EActionDecl, "Action",
				"Action name '%s' is used more than once in stage '%s'; action names must be unique within a stage",
				r.a.Name, r.s.Name)
		}
		seen[key] = true
	}
	return nil
}

// checkActionTypes rejects actions whose type the lookup does not know, in AWS's words.
func checkActionTypes(c *check) *sluice.Error {
	for _, r := range c.actions {
		if r.typ == nil {
			id := r.a.ActionTypeID
			return sluice.Errorf(sluice.EActionDecl, "Action",
				"ActionType (Category: '%s', Provider: '%s', Owner: '%s', Version: '%s') in action '%s' is not available in region '%s'",
				id.Category, id.Provider, id.Owner, id.Version, r.a.Name, regionName(c.opts.Region))
		}
	}
	return nil
}

// checkArtifactCounts keeps each action's input and output artifact counts within its type's
// bounds, in AWS's words.
func checkArtifactCounts(c *check) *sluice.Error {
	for _, r := range c.actions {
		if err := artifactCount(r.a.Name, "input", len(r.a.InputArtifacts), r.typ.InputArtifactDetails); err != nil {
			return err
		}
		if err := artifactCount(r.a.Name, "output", len(r.a.OutputArtifacts), r.typ.OutputArtifactDetails); err != nil {
			return err
		}
	}
	return nil
}

func artifactCount(action, kind string, n int, b sluice.ArtifactDetails) *sluice.Error {
	switch {
	case n < b.MinimumCount:
		return sluice.Errorf(sluice.EActionDecl, "Action",
			"Action %s declares %d %s artifacts which is less than the minimum count (%d)", action, n, kind, b.MinimumCount)
	case n > b.MaximumCount:
		return sluice.Errorf(sluice.EActionDecl, "Action",
			"Action %s declares %d %s artifacts which is greater than the maximum count (%d)", action, n, kind, b.MaximumCount)
	}
	return nil
}
