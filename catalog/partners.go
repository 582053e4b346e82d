package catalog

import "sluice"

// partners are the partner (ThirdParty) action types of the user guide's action reference
// that the partner's own job worker runs through the third-party job protocol (SEMANTICS
// §9.3). They are accepted in declarations as AWS accepts them, and their jobs wait for the
// partner's job worker, which polls with the clientToken an operator registers for the type
// (`sluice partner-types register`). GitHub (v1) and AlexaSkillsKit, also owned by
// ThirdParty, are CodePipeline's own actions, not partners': they are in sources and deploys.
func partners() []entry {
	return []entry{
		// action-reference-Snyk: Invoke/ThirdParty/Snyk/1, one input and one output; the page
		// lists no configuration keys (the Snyk console flow fills them), so any are taken.
		newEntry(sluice.CategoryInvoke, sluice.OwnerThirdParty, "Snyk", one, one).unresearched().byPartner(),
	}
}

// byPartner marks a type a partner's job worker runs.
func (e entry) byPartner() entry { e.partner = true; return e }

// Partner reports whether id is a built-in partner type (partners): run by the partner's
// job worker through the third-party job protocol, never by Sluice's workers.
func Partner(id sluice.ActionTypeID) bool {
	e, ok := find(id)
	return ok && e.partner
}
