package validate

import (
	"fmt"
	"strings"

	"sluice"
	"sluice/catalog"
	"sluice/ruleeval"
)

// ruleConfigurations checks the configuration of the rules Sluice decides without a job
// (DeploymentWindow, VariableCheck) the way the rule reads it when it runs, so that a window
// or a check that could never be decided is refused when the pipeline is declared.
func ruleConfigurations(s *sluice.StageDeclaration) *sluice.Error {
	hooks := []struct {
		name       string
		conditions []sluice.Condition
	}{{name: "beforeEntry"}, {name: "onSuccess"}, {name: "onFailure"}}
	if s.BeforeEntry != nil {
		hooks[0].conditions = s.BeforeEntry.Conditions
	}
	if s.OnSuccess != nil {
		hooks[1].conditions = s.OnSuccess.Conditions
	}
	if s.OnFailure != nil {
		hooks[2].conditions = s.OnFailure.Conditions
	}
	for _, h := range hooks {
		for _, cond := range h.conditions {
			for i := range cond.Rules {
				if err := ruleConfiguration(s, h.name, &cond.Rules[i]); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func ruleConfiguration(s *sluice.StageDeclaration, hook string, r *sluice.RuleDeclaration) *sluice.Error {
	var check func(map[string]string) error
	switch r.RuleTypeID.Provider {
	case "DeploymentWindow":
		check = func(c map[string]string) error { return ruleeval.ValidateWindow(c["Cron"], c["TimeZone"]) }
	case "VariableCheck":
		check = func(c map[string]string) error { return ruleeval.ValidateCheck(c["Operator"], c["Value"]) }
	case "CloudWatchAlarm":
		check = func(c map[string]string) error {
			if hasVariable(c) {
				return nil // read when the rule runs, with the variables resolved
			}
			_, err := ruleeval.ParseAlarm(c)
			return err
		}
	case "LambdaInvoke":
		check = func(map[string]string) error { return nil } // its required FunctionName is checked below
	default:
		return nil
	}
	typ, ok := catalog.LookupRuleType(r.RuleTypeID)
	if !ok {
		return nil // not AWS's version 1 of the type: nothing Sluice decides itself
	}
	for _, p := range typ.ConfigurationProperties {
		if _, ok := r.Configuration[p.Name]; p.Required && !ok {
			return stageErr(s, fmt.Sprintf("has %s rule '%s' of provider '%s' without required configuration key '%s'", hook, r.Name, r.RuleTypeID.Provider, p.Name))
		}
	}
	if err := check(r.Configuration); err != nil {
		return stageErr(s, fmt.Sprintf("has %s rule '%s' of provider '%s' with an invalid configuration: %v", hook, r.Name, r.RuleTypeID.Provider, err))
	}
	return nil
}

func hasVariable(c map[string]string) bool {
	for _, v := range c {
		if strings.Contains(v, "#{") {
			return true
		}
	}
	return false
}
