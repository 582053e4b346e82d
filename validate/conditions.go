package validate

import (
	"fmt"

	"sluice"
)

// Results each stage hook allows (SEMANTICS §3.1 rule 15); "" (no result) is always allowed.
var (
	beforeEntryResults = []string{"", "FAIL", "SKIP"}
	onSuccessResults   = []string{"", "ROLLBACK", "FAIL"}
	onFailureResults   = []string{"", "ROLLBACK", "RETRY"}
	onFailureCondition = []string{"", "ROLLBACK"}
	skipRuleProviders  = []string{"LambdaInvoke", "VariableCheck", "DeploymentWindow"}
)

// checkConditions enforces the stage condition rules 13-15 of SEMANTICS §3.1 and the
// configuration of the rules Sluice decides itself (ruleconfig.go).
func checkConditions(c *check) *sluice.Error {
	parallel := c.d.Mode() == sluice.ModeParallel
	for i := range c.d.Stages {
		s := &c.d.Stages[i]
		if err := stageConditions(s); err != nil {
			return err
		}
		if err := ruleConfigurations(s); err != nil {
			return err
		}
		if parallel && rollsBack(s) {
			return stageErr(s, "declares a ROLLBACK result, but pipelines in PARALLEL execution mode cannot roll back")
		}
	}
	return nil
}

func stageConditions(s *sluice.StageDeclaration) *sluice.Error {
	if b := s.BeforeEntry; b != nil {
		if err := conditionResults(s, "beforeEntry", b.Conditions, beforeEntryResults); err != nil {
			return err
		}
		if err := skipRules(s, b.Conditions); err != nil {
			return err
		}
	}
	if o := s.OnSuccess; o != nil {
		if err := conditionResults(s, "onSuccess", o.Conditions, onSuccessResults); err != nil {
			return err
		}
	}
	if f := s.OnFailure; f != nil {
		return onFailure(s, f)
	}
	return nil
}

func onFailure(s *sluice.StageDeclaration, f *sluice.FailureConditions) *sluice.Error {
	if !contains(onFailureResults, f.Result) {
		return stageErr(s, fmt.Sprintf("has onFailure result '%s'; onFailure allows ROLLBACK or RETRY", f.Result))
	}
	if f.Result == "RETRY" && len(f.Conditions) > 0 {
		return stageErr(s, "combines onFailure result RETRY with onFailure conditions; automatic retry cannot have conditions")
	}
	return conditionResults(s, "onFailure", f.Conditions, onFailureCondition)
}

func conditionResults(s *sluice.StageDeclaration, hook string, cs []sluice.Condition, allowed []string) *sluice.Error {
	for _, cond := range cs {
		if !contains(allowed, cond.Result) {
			return stageErr(s, fmt.Sprintf("has %s condition result '%s'; %s conditions allow %v", hook, cond.Result, hook, allowed[1:]))
		}
	}
	return nil
}

// skipRules allows a SKIP result only with LambdaInvoke and VariableCheck rules (AWS's
// list) and DeploymentWindow (skipping a stage outside its window, as Sluice's users asked).
func skipRules(s *sluice.StageDeclaration, cs []sluice.Condition) *sluice.Error {
	for _, cond := range cs {
		if cond.Result != "SKIP" {
			continue
		}
		for _, r := range cond.Rules {
			if !contains(skipRuleProviders, r.RuleTypeID.Provider) {
				return stageErr(s, fmt.Sprintf("has a beforeEntry SKIP condition with rule '%s' of provider '%s'; SKIP allows only DeploymentWindow, LambdaInvoke and VariableCheck rules", r.Name, r.RuleTypeID.Provider))
			}
		}
	}
	return nil
}

// rollsBack reports whether any of the stage's hooks can roll it back.
func rollsBack(s *sluice.StageDeclaration) bool {
	var all []sluice.Condition
	if s.OnSuccess != nil {
		all = append(all, s.OnSuccess.Conditions...)
	}
	if f := s.OnFailure; f != nil {
		if f.Result == "ROLLBACK" {
			return true
		}
		all = append(all, f.Conditions...)
	}
	for _, cond := range all {
		if cond.Result == "ROLLBACK" {
			return true
		}
	}
	return false
}

func stageErr(s *sluice.StageDeclaration, what string) *sluice.Error {
	return sluice.Errorf(sluice.EStageDecl, "Stage", "Stage '%s' %s", s.Name, what)
}
