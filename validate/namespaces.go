package validate

import "sluice"

// Reserved namespaces (SEMANTICS §7).
const (
	nsCodePipeline = "codepipeline"
	nsVariables    = "variables"
)

// checkNamespaces enforces action namespaces: unique across the pipeline (in AWS's words),
// not reserved, and not equal to an artifact name.
func checkNamespaces(c *check) *sluice.Error {
	seen := map[string]bool{}
	outputs := c.outputs()
	for _, r := range c.actions {
		ns := r.a.Namespace
		if ns == "" {
			continue
		}
		if err := reservedNamespace(c, r); err != nil {
			return err
		}
		if seen[ns] {
			return sluice.Errorf(sluice.EActionDecl, "Action",
				"Namespaces must be unique across the pipeline definition. The following occur more than once in the pipeline. StageName=[%s], ActionName=[%s], Namespace=[%s]",
				r.s.Name, r.a.Name, ns)
		}
		seen[ns] = true
		if _, ok := outputs[ns]; ok {
			return sluice.Errorf(sluice.EActionDecl, "Action",
				"Namespace '%s' of action '%s' in stage '%s' is also the name of an artifact; namespaces must not equal artifact names",
				ns, r.a.Name, r.s.Name)
		}
	}
	return nil
}

func reservedNamespace(c *check, r actionRef) *sluice.Error {
	ns := r.a.Namespace
	if ns == nsCodePipeline || (ns == nsVariables && len(c.d.Variables) > 0) {
		return sluice.Errorf(sluice.EActionDecl, "Action",
			"Namespace '%s' of action '%s' in stage '%s' is reserved; choose another namespace",
			ns, r.a.Name, r.s.Name)
	}
	return nil
}
