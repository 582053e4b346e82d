package validate

import "sluice"

// outputs maps each output artifact name to the first action that declares it.
func (c *check) outputs() map[string]actionRef {
	m := map[string]actionRef{}
	for _, r := range c.actions {
		for _, o := range r.a.OutputArtifacts {
			if _, ok := m[o.Name]; !ok {
				m[o.Name] = r
			}
		}
	}
	return m
}

// checkOutputArtifacts enforces output artifact names unique across the pipeline.
func checkOutputArtifacts(c *check) *sluice.Error {
	seen := map[string]actionRef{}
	for _, r := range c.actions {
		for _, o := range r.a.OutputArtifacts {
			if first, ok := seen[o.Name]; ok {
				return sluice.Errorf(sluice.EStructure, "Pipeline",
					"Output artifact name '%s' is declared by action '%s' in stage '%s' and again by action '%s' in stage '%s'; output artifact names must be unique in a pipeline",
					o.Name, first.a.Name, first.s.Name, r.a.Name, r.s.Name)
			}
			seen[o.Name] = r
		}
	}
	return nil
}

// checkInputArtifacts requires every input artifact to be the output of an action that runs
// strictly earlier: in an earlier stage, or in the same stage with a lower runOrder.
func checkInputArtifacts(c *check) *sluice.Error {
	outputs := c.outputs()
	for _, r := range c.actions {
		for _, in := range r.a.InputArtifacts {
			p, ok := outputs[in.Name]
			switch {
			case !ok:
				return sluice.Errorf(sluice.EStructure, "Pipeline",
					"Input artifact '%s' of action '%s' in stage '%s' is not the output artifact of any action in the pipeline",
					in.Name, r.a.Name, r.s.Name)
			case !p.before(r):
				return sluice.Errorf(sluice.EStructure, "Pipeline",
					"Input artifact '%s' of action '%s' in stage '%s' is output by action '%s' in stage '%s', which does not run before it; an input must come from an earlier stage or from a lower runOrder in the same stage",
					in.Name, r.a.Name, r.s.Name, p.a.Name, p.s.Name)
			}
		}
	}
	return nil
}
