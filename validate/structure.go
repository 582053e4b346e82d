package validate

import "sluice"

// checkBlockers rejects every blocker: the model reserves them for future use.
func checkBlockers(c *check) *sluice.Error {
	for _, s := range c.d.Stages {
		if len(s.Blockers) > 0 {
			return sluice.Errorf(sluice.EBlockerDecl, "Stage",
				"Stage '%s' declares blocker '%s'; blockers are reserved for future use and must be empty",
				s.Name, s.Blockers[0].Name)
		}
	}
	return nil
}

// checkStageCount enforces 2..MaxStages stages and at most MaxActionsPerPipeline actions.
// The upper bounds are quotas, reported as LimitExceededException [U which error AWS uses].
func checkStageCount(c *check) *sluice.Error {
	switch n := len(c.d.Stages); {
	case n < 2:
		return sluice.Errorf(sluice.EStructure, "Pipeline",
			"Pipeline has only %d stage(s). There should be a minimum of 2 stages in a pipeline", n)
	case n > MaxStages:
		return sluice.Errorf(sluice.ELimit, "",
			"Pipeline '%s' has %d stages, more than the maximum of %d", c.d.Name, n, MaxStages)
	}
	if n := len(c.actions); n > MaxActionsPerPipeline {
		return sluice.Errorf(sluice.ELimit, "",
			"Pipeline '%s' has %d actions, more than the maximum of %d", c.d.Name, n, MaxActionsPerPipeline)
	}
	return nil
}

// checkArtifactStores enforces artifactStore xor artifactStores, and a store for the
// pipeline's own region in artifactStores.
func checkArtifactStores(c *check) *sluice.Error {
	d := c.d
	switch {
	case d.ArtifactStore != nil && len(d.ArtifactStores) > 0:
		return sluice.Errorf(sluice.EStructure, "Pipeline",
			"Pipeline '%s' declares both artifactStore and artifactStores; declare exactly one", d.Name)
	case d.ArtifactStore == nil && len(d.ArtifactStores) == 0:
		return sluice.Errorf(sluice.EStructure, "Pipeline",
			"Pipeline '%s' declares neither artifactStore nor artifactStores; declare exactly one", d.Name)
	case d.ArtifactStore == nil:
		if _, ok := d.ArtifactStores[c.opts.Region]; !ok {
			return sluice.Errorf(sluice.EStructure, "Pipeline",
				"Pipeline '%s' artifactStores has no artifact store for the pipeline's region '%s'", d.Name, c.opts.Region)
		}
	}
	return nil
}

// checkRegions enforces the cross-region rules: Source, ThirdParty and Custom actions run in
// the pipeline's region, and every other region an action names needs an artifact store.
func checkRegions(c *check) *sluice.Error {
	for _, r := range c.actions {
		region := r.a.Region
		if region == "" || region == c.opts.Region {
			continue
		}
		id := r.a.ActionTypeID
		if id.Category == sluice.CategorySource || id.Owner != sluice.OwnerAWS {
			return sluice.Errorf(sluice.EActionDecl, "Action",
				"Action '%s' in stage '%s' declares region '%s', but %s actions with owner %s cannot run outside the pipeline's region '%s'",
				r.a.Name, r.s.Name, region, id.Category, id.Owner, c.opts.Region)
		}
		if _, ok := c.d.ArtifactStores[region]; !ok {
			return sluice.Errorf(sluice.EStructure, "Pipeline",
				"Action '%s' in stage '%s' runs in region '%s', but the pipeline declares no artifact store for that region in artifactStores",
				r.a.Name, r.s.Name, region)
		}
	}
	return nil
}
