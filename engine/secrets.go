package engine

import (
	"sluice"
)

// SecretMask is what GetPipeline shows instead of a secret configuration value.
const SecretMask = "****"

// keepSecrets puts back the stored value of every secret property that an update sends as
// the mask; the mask is refused for an action that did not exist before (SEMANTICS §2.1).
func keepSecrets(next, prev *sluice.PipelineDeclaration, lookup func(sluice.ActionTypeID) (*sluice.ActionType, bool)) error {
	for si := range next.Stages {
		st := &next.Stages[si]
		for ai := range st.Actions {
			a := &st.Actions[ai]
			for k, v := range a.Configuration {
				if v != SecretMask || !isSecret(lookup, a.ActionTypeID, k) {
					continue
				}
				old := prev.Action(st.Name, a.Name)
				if old == nil || old.Configuration[k] == "" {
					return sluice.Errorf(sluice.EActionDecl, "", "Action configuration for the new action %q contains an invalid configuration for the secret property %q. %q may be used in secret properties only when updating an existing action.", a.Name, k, SecretMask)
				}
				a.Configuration[k] = old.Configuration[k]
			}
		}
	}
	return nil
}

func isSecret(lookup func(sluice.ActionTypeID) (*sluice.ActionType, bool), id sluice.ActionTypeID, key string) bool {
	t, ok := lookup(id)
	if !ok {
		return false
	}
	p := t.Property(key)
	return p != nil && p.Secret
}

// MaskSecrets returns a copy of d with every secret configuration value replaced by the mask.
func MaskSecrets(d sluice.PipelineDeclaration, lookup func(sluice.ActionTypeID) (*sluice.ActionType, bool)) sluice.PipelineDeclaration {
	stages := make([]sluice.StageDeclaration, len(d.Stages))
	for si, st := range d.Stages {
		actions := make([]sluice.ActionDeclaration, len(st.Actions))
		for ai, a := range st.Actions {
			if len(a.Configuration) > 0 {
				cfg := make(map[string]string, len(a.Configuration))
				for k, v := range a.Configuration {
					if isSecret(lookup, a.ActionTypeID, k) {
						v = SecretMask
					}
					cfg[k] = v
				}
				a.Configuration = cfg
			}
			actions[ai] = a
		}
		st.Actions = actions
		stages[si] = st
	}
	d.Stages = stages
	return d
}
