// Package catalog lists the action types built into CodePipeline that Sluice knows: their
// artifact bounds (SEMANTICS §3.2) and configuration properties (§11). The list is built afresh
// on every call, so callers may change what they get without affecting anyone else. It is the
// core's vocabulary of action types, beside the engine and validation, not a provider: the
// providers under provider/ run these types and take their declarations from here.
package catalog

import "sluice"

// BuiltIn returns every built-in action type, version "1", as a fresh copy.
func BuiltIn() []sluice.ActionType {
	var all []sluice.ActionType
	for _, group := range [][]entry{sources(), builds(), deploys(), invokes(), partners()} {
		for _, e := range group {
			all = append(all, e.t)
		}
	}
	return all
}

// Lookup returns the built-in action type with the given id.
func Lookup(id sluice.ActionTypeID) (sluice.ActionType, bool) {
	e, ok := find(id)
	return e.t, ok
}

// Strict reports whether the built-in type rejects configuration keys it does not declare.
// It is false for types whose keys were not researched (their declared properties, if any,
// are a partial list) and for ids that are not built in.
func Strict(id sluice.ActionTypeID) bool {
	e, ok := find(id)
	return ok && !e.lenient
}

// RequiresV2 reports whether the built-in type may only be used in a V2 pipeline
// (Commands, CodePipeline invoke and ECRBuildAndPublish; SEMANTICS §3.1 rule 12).
func RequiresV2(id sluice.ActionTypeID) bool {
	e, ok := find(id)
	return ok && e.v2
}

// With returns a lookup over the built-in types plus extra (custom or third-party types,
// as CreateCustomActionType would register them). Extra types win over built-ins with the
// same id. Each call of the returned func hands out its own copy.
func With(extra ...sluice.ActionType) func(sluice.ActionTypeID) (*sluice.ActionType, bool) {
	return func(id sluice.ActionTypeID) (*sluice.ActionType, bool) {
		for i := range extra {
			if extra[i].ID == id {
				t := clone(extra[i])
				return &t, true
			}
		}
		t, ok := Lookup(id)
		if !ok {
			return nil, false
		}
		return &t, true
	}
}

func find(id sluice.ActionTypeID) (entry, bool) {
	for _, group := range [][]entry{sources(), builds(), deploys(), invokes(), partners()} {
		for _, e := range group {
			if e.t.ID == id {
				return e, true
			}
		}
	}
	return entry{}, false
}

func clone(t sluice.ActionType) sluice.ActionType {
	t.ConfigurationProperties = append([]sluice.ActionConfigurationProperty(nil), t.ConfigurationProperties...)
	if t.Settings != nil {
		s := *t.Settings
		t.Settings = &s
	}
	return t
}
