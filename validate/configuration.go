package validate

import (
	"regexp"
	"sort"
	"sync"

	"sluice"
	"sluice/catalog"
)

var (
	queryableValue = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9_-]{1,20}$`) })
	// workerLabel is what a `sluice worker --labels` label may be.
	workerLabel = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9_-]{1,50}$`) })
)

// checkConfiguration enforces each action type's configuration properties: required keys
// present, no unknown keys for strict types, and queryable values of at most 20 characters
// of [A-Za-z0-9_-] (SEMANTICS §3.1 rule 8).
func checkConfiguration(c *check) *sluice.Error {
	for _, r := range c.actions {
		if err := configuration(r); err != nil {
			return err
		}
	}
	return nil
}

func configuration(r actionRef) *sluice.Error {
	for _, p := range r.typ.ConfigurationProperties {
		v, ok := r.a.Configuration[p.Name]
		switch {
		case p.Required && !ok:
			return sluice.Errorf(sluice.EActionDecl, "Action",
				"Action configuration for action '%s' in stage '%s' is missing required configuration key '%s'",
				r.a.Name, r.s.Name, p.Name)
		case p.Queryable && ok && !queryableValue().MatchString(v):
			return sluice.Errorf(sluice.EActionDecl, "Action",
				"Action configuration for action '%s' in stage '%s' has value '%s' for queryable property '%s'; queryable values must be 1 to 20 characters of [A-Za-z0-9_-]",
				r.a.Name, r.s.Name, v, p.Name)
		}
	}
	if v, ok := r.a.Configuration[sluice.WorkerLabelKey]; ok && r.typ.Property(sluice.WorkerLabelKey) != nil && !workerLabel().MatchString(v) {
		// A label no worker can carry would leave the action's jobs queued until it times out.
		return sluice.Errorf(sluice.EActionDecl, "Action",
			"Action configuration for action '%s' in stage '%s' has WorkerLabel '%s'; a worker label is 1 to 50 characters of [A-Za-z0-9_-]",
			r.a.Name, r.s.Name, v)
	}
	if !strict(r.typ) {
		return nil
	}
	for _, k := range sortedKeys(r.a.Configuration) {
		if r.typ.Property(k) == nil {
			return sluice.Errorf(sluice.EActionDecl, "Action",
				"Action configuration for action '%s' in stage '%s' contains unknown configuration key '%s'; type %s accepts %v",
				r.a.Name, r.s.Name, k, r.typ.ID, propertyNames(r.typ))
		}
	}
	return nil
}

// strict reports whether unknown configuration keys are rejected for t: built-in types as
// the catalog says (only types whose keys were researched), other (custom and third-party)
// types when they declare properties (SEMANTICS §3.1 rule 8).
func strict(t *sluice.ActionType) bool {
	if _, ok := catalog.Lookup(t.ID); ok {
		return catalog.Strict(t.ID)
	}
	return len(t.ConfigurationProperties) > 0
}

func propertyNames(t *sluice.ActionType) []string {
	names := make([]string, len(t.ConfigurationProperties))
	for i, p := range t.ConfigurationProperties {
		names[i] = p.Name
	}
	return names
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
