package validate

import "sluice"

// checkStages enforces unique stage names and 1..MaxActionsPerStage actions per stage.
func checkStages(c *check) *sluice.Error {
	seen := map[string]bool{}
	for _, s := range c.d.Stages {
		if seen[s.Name] {
			return sluice.Errorf(sluice.EStageDecl, "Stage",
				"Stage name '%s' is used more than once; stage names must be unique in a pipeline", s.Name)
		}
		seen[s.Name] = true
		switch n := len(s.Actions); {
		case n == 0:
			return sluice.Errorf(sluice.EStageDecl, "Stage",
				"Stage '%s' has no actions; every stage needs at least one action", s.Name)
		case n > c.opts.MaxActionsPerStage:
			return sluice.Errorf(sluice.ELimit, "",
				"Stage '%s' has %d actions, more than the maximum of %d", s.Name, n, c.opts.MaxActionsPerStage)
		}
	}
	return nil
}

// checkSourcePlacement enforces that the first stage holds only Source actions and no other
// stage holds any. With at least two non-empty stages this also guarantees a non-source action.
func checkSourcePlacement(c *check) *sluice.Error {
	for _, r := range c.actions {
		source := r.a.ActionTypeID.Category == sluice.CategorySource
		switch {
		case r.stage == 0 && !source:
			return sluice.Errorf(sluice.EStageDecl, "Stage",
				"Stage '%s' is the first stage and may contain only Source actions, but action '%s' has category '%s'",
				r.s.Name, r.a.Name, r.a.ActionTypeID.Category)
		case r.stage > 0 && source:
			return sluice.Errorf(sluice.EStageDecl, "Stage",
				"Action '%s' in stage '%s' is a Source action; Source actions are only allowed in the first stage",
				r.a.Name, r.s.Name)
		}
	}
	return nil
}
