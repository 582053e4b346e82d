package validate

import (
	"encoding/json"

	"sluice"
)

// maxTriggersJSON is the largest encoded triggers list (200 KB, SEMANTICS §4).
const maxTriggersJSON = 200 * 1024

// connectionSource is the only action type a trigger may start from.
var connectionSource = sluice.ActionTypeID{Category: sluice.CategorySource, Owner: sluice.OwnerAWS, Provider: "CodeStarSourceConnection", Version: "1"}

// checkTriggers enforces SEMANTICS §3.1 rule 16 and the push filter combinations of §8.2.
// There is no trigger-specific exception, so violations are ValidationExceptions.
func checkTriggers(c *check) *sluice.Error {
	if b, _ := json.Marshal(c.d.Triggers); len(b) > maxTriggersJSON {
		return invalid("Field 'pipeline.triggers' encodes to %d bytes, more than the maximum of %d", len(b), maxTriggersJSON)
	}
	used := map[string]bool{}
	for i, t := range c.d.Triggers {
		name := t.GitConfiguration.SourceActionName
		if used[name] {
			return invalid("Trigger %d names source action '%s', which already has a trigger; each source action takes at most one trigger", i+1, name)
		}
		used[name] = true
		if !c.isConnectionSource(name) {
			return invalid("Trigger %d names source action '%s', which is not a CodeStarSourceConnection source action of this pipeline", i+1, name)
		}
		if err := gitFilters(i, t.GitConfiguration); err != nil {
			return err
		}
	}
	return nil
}

func (c *check) isConnectionSource(name string) bool {
	for _, r := range c.actions {
		if r.stage == 0 && r.a.Name == name && r.a.ActionTypeID == connectionSource {
			return true
		}
	}
	return false
}

func gitFilters(i int, g sluice.GitConfiguration) *sluice.Error {
	for j, f := range g.Push {
		tags, branches, paths := f.Tags != nil, f.Branches != nil, f.FilePaths != nil
		if ok := (tags && !branches && !paths) || (!tags && branches); !ok {
			return invalid("Push filter %d of trigger %d combines tags, branches and filePaths wrongly; use tags alone, branches, or branches with filePaths", j+1, i+1)
		}
	}
	if dup := duplicate(g.Push); dup > 0 {
		return invalid("Push filter %d of trigger %d repeats an earlier push filter", dup, i+1)
	}
	if dup := duplicate(g.PullRequest); dup > 0 {
		return invalid("Pull request filter %d of trigger %d repeats an earlier pull request filter", dup, i+1)
	}
	return nil
}

// duplicate returns the 1-based index of the first filter equal to an earlier one, or 0.
func duplicate[T any](filters []T) int {
	seen := map[string]bool{}
	for i, f := range filters {
		b, _ := json.Marshal(f)
		if seen[string(b)] {
			return i + 1
		}
		seen[string(b)] = true
	}
	return 0
}

func invalid(format string, args ...any) *sluice.Error {
	return sluice.Errorf(sluice.EInvalid, "", format, args...)
}
