package catalog

import "sluice"

// entry is one built-in type plus what the catalog knows about it beyond the model's shape.
type entry struct {
	t       sluice.ActionType
	lenient bool // keys not researched: unknown configuration keys are accepted
	v2      bool // only allowed in V2 pipelines
	partner bool // run by a partner's job worker (partners.go), not by Sluice
}

// bounds is an artifact count range.
type bounds struct{ min, max int }

var (
	none     = bounds{0, 0}
	one      = bounds{1, 1}
	upToOne  = bounds{0, 1}
	upToFive = bounds{0, 5}
	upToTen  = bounds{0, 10}
	// unknownBounds is used for types §3.2 gives no counts for: the widest range an action
	// type can declare (ActionTypeDeclaration allows 0-10), so no real pipeline is rejected.
	unknownBounds = upToTen
)

func newEntry(category, owner, provider string, in, out bounds, props ...sluice.ActionConfigurationProperty) entry {
	return entry{t: sluice.ActionType{
		ID:                      sluice.ActionTypeID{Category: category, Owner: owner, Provider: provider, Version: "1"},
		ConfigurationProperties: props,
		InputArtifactDetails:    sluice.ArtifactDetails{MinimumCount: in.min, MaximumCount: in.max},
		OutputArtifactDetails:   sluice.ArtifactDetails{MinimumCount: out.min, MaximumCount: out.max},
	}}
}

func aws(category, provider string, in, out bounds, props ...sluice.ActionConfigurationProperty) entry {
	return newEntry(category, sluice.OwnerAWS, provider, in, out, props...)
}

// unresearched marks a type whose configuration keys §11 does not list completely.
func (e entry) unresearched() entry { e.lenient = true; return e }

// onlyV2 marks a type that needs pipelineType V2.
func (e entry) onlyV2() entry { e.v2 = true; return e }

// req is a required key property: it identifies what the action works on.
func req(name, description string) sluice.ActionConfigurationProperty {
	return sluice.ActionConfigurationProperty{Name: name, Required: true, Key: true, Description: description}
}

// opt is an optional property.
func opt(name, description string) sluice.ActionConfigurationProperty {
	return sluice.ActionConfigurationProperty{Name: name, Description: description}
}

// secret is a required secret property, masked as "****" by GetPipeline.
func secret(name, description string) sluice.ActionConfigurationProperty {
	return sluice.ActionConfigurationProperty{Name: name, Required: true, Secret: true, Description: description}
}
