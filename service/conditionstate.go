package service

import (
	"sort"
	"strings"

	"sluice"
)

// StageCondition is one of a stage's condition hooks as a run of the stage evaluated it,
// with the latest run of each of its rules: what GetPipelineState and the console show.
type StageCondition struct {
	Type  sluice.ConditionType
	Run   *sluice.ConditionRun // nil when only the rules' runs are known
	Rules []RuleState
}

// RuleState is one rule of a condition and its latest run (nil before it ran).
type RuleState struct {
	Name string
	Run  *sluice.RuleRun
}

// ConditionHooks are the condition types in the order a stage meets them.
var ConditionHooks = []sluice.ConditionType{sluice.ConditionBeforeEntry, sluice.ConditionOnSuccess, sluice.ConditionOnFailure}

// StageConditions are the hooks of stage that run evaluated (run may be nil) or that have a
// rule run in rules (keyed by sluice.RuleRunKey), in hook order. Each lists the hook's rules
// as declared, in order, then any other rule that has run in it (one an earlier version
// declared), by name.
func StageConditions(stage sluice.StageDeclaration, run *sluice.StageRun, rules map[string]*sluice.RuleRun) []StageCondition {
	var out []StageCondition
	for _, t := range ConditionHooks {
		c := StageCondition{Type: t}
		if run != nil {
			c.Run = run.Condition(t)
		}
		ran := false
		for _, name := range ruleNames(stage, t, rules) {
			r := rules[sluice.RuleRunKey(stage.Name, t, name)]
			ran = ran || r != nil
			c.Rules = append(c.Rules, RuleState{Name: name, Run: r})
		}
		if c.Run != nil || ran {
			out = append(out, c)
		}
	}
	return out
}

// ruleNames are the rules of the stage's hook t as declared, in order, then any other rule
// that has run in it, by name.
func ruleNames(stage sluice.StageDeclaration, t sluice.ConditionType, rules map[string]*sluice.RuleRun) []string {
	var names, others []string
	seen := map[string]bool{}
	for _, c := range declaredConditions(stage, t) {
		for _, r := range c.Rules {
			if !seen[r.Name] {
				seen[r.Name] = true
				names = append(names, r.Name)
			}
		}
	}
	prefix := sluice.RuleRunKey(stage.Name, t, "")
	for key := range rules {
		if name, ok := strings.CutPrefix(key, prefix); ok && !seen[name] {
			others = append(others, name)
		}
	}
	sort.Strings(others)
	return append(names, others...)
}

// declaredConditions are the conditions of the stage's hook t.
func declaredConditions(stage sluice.StageDeclaration, t sluice.ConditionType) []sluice.Condition {
	switch {
	case t == sluice.ConditionBeforeEntry && stage.BeforeEntry != nil:
		return stage.BeforeEntry.Conditions
	case t == sluice.ConditionOnSuccess && stage.OnSuccess != nil:
		return stage.OnSuccess.Conditions
	case t == sluice.ConditionOnFailure && stage.OnFailure != nil:
		return stage.OnFailure.Conditions
	}
	return nil
}
