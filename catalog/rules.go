package catalog

import "sluice"

// RuleTypes returns the rule types of stage conditions that CodePipeline lists today (the
// user guide's rule reference: CloudWatchAlarm, Commands, DeploymentWindow, LambdaInvoke,
// VariableCheck), owner AWS, version "1", as a fresh copy. The guide gives no input artifact
// counts: rules that read no files take none; Commands and LambdaInvoke take up to five, the
// most the model's ArtifactDetails allows.
func RuleTypes() []sluice.RuleType {
	return []sluice.RuleType{
		rule("CloudWatchAlarm", none,
			ruleProp("AlarmName", true, true, "The name of the alarm (in Sluice, the Prometheus alert) the rule watches."),
			ruleProp("AlarmStates", false, false, "The alarm states the rule monitors: ALARM, OK, INSUFFICIENT_DATA."),
			ruleProp("WaitTime", false, false, "Minutes the rule watches the alarm: it fails as soon as the alarm is in one of AlarmStates and passes once WaitTime has passed without (0: one check)."),
		),
		rule("Commands", upToFive),
		rule("DeploymentWindow", none,
			ruleProp("Cron", true, true, "The cron expression (six fields and an optional year) of the days and times deployments are allowed."),
			ruleProp("TimeZone", false, false, "The time zone of Cron; UTC when absent."),
		),
		rule("LambdaInvoke", upToFive,
			ruleProp("FunctionName", true, true, "The name of the function the rule invokes."),
			ruleProp("UserParameters", false, false, "A string handed to the function with the job."),
		),
		rule("VariableCheck", none,
			ruleProp("Variable", true, true, "The pipeline variable to check, such as #{SourceVariables.RepositoryName}."),
			ruleProp("Operator", true, false, "How the variable is compared with Value: EQ, NE, CONTAINS or MATCHES."),
			ruleProp("Value", true, false, "The value the variable is compared with."),
		),
	}
}

// LookupRuleType returns the rule type with the given id; an id without owner or version
// means AWS and "1", as the model lets a declaration leave them out.
func LookupRuleType(id sluice.RuleTypeID) (sluice.RuleType, bool) {
	if id.Owner == "" {
		id.Owner = sluice.OwnerAWS
	}
	if id.Version == "" {
		id.Version = "1"
	}
	for _, t := range RuleTypes() {
		if t.ID == id {
			return t, true
		}
	}
	return sluice.RuleType{}, false
}

func rule(provider string, in bounds, props ...sluice.RuleConfigurationProperty) sluice.RuleType {
	if props == nil {
		props = []sluice.RuleConfigurationProperty{}
	}
	return sluice.RuleType{
		ID:                      sluice.RuleTypeID{Category: sluice.RuleCategory, Owner: sluice.OwnerAWS, Provider: provider, Version: "1"},
		ConfigurationProperties: props,
		InputArtifactDetails:    sluice.ArtifactDetails{MinimumCount: in.min, MaximumCount: in.max},
	}
}

func ruleProp(name string, required, key bool, description string) sluice.RuleConfigurationProperty {
	return sluice.RuleConfigurationProperty{Name: name, Required: required, Key: key, Description: description, Type: "String"}
}
