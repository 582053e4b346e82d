package validate_test

import (
	"testing"

	"sluice"
)

func TestRuleConfiguration(t *testing.T) {
	t.Parallel()

	window := func(cron, zone string) func(d *sluice.PipelineDeclaration) {
		return func(d *sluice.PipelineDeclaration) {
			c := d.Stages[1].BeforeEntry.Conditions[0].Rules[0].Configuration
			c["Cron"] = cron
			if zone != "" {
				c["TimeZone"] = zone
			}
		}
	}
	check := func(operator, value string) func(d *sluice.PipelineDeclaration) {
		return func(d *sluice.PipelineDeclaration) {
			r := rule("Branch", "VariableCheck")
			r.Configuration["Operator"], r.Configuration["Value"] = operator, value
			d.Stages[1].BeforeEntry.Conditions[0].Rules = append(d.Stages[1].BeforeEntry.Conditions[0].Rules, r)
		}
	}
	alarm := func(cfg map[string]string) func(d *sluice.PipelineDeclaration) {
		return func(d *sluice.PipelineDeclaration) {
			r := rule("Errors", "CloudWatchAlarm")
			for k, v := range cfg {
				r.Configuration[k] = v
			}
			d.Stages[1].OnSuccess = &sluice.SuccessConditions{Conditions: condition("ROLLBACK", r)}
		}
	}
	const alarmErr = "Stage 'Build' has onSuccess rule 'Errors' of provider 'CloudWatchAlarm' with an invalid configuration: "
	const windowErr = "Stage 'Build' has beforeEntry rule 'Window' of provider 'DeploymentWindow' with an invalid configuration: "
	const checkErr = "Stage 'Build' has beforeEntry rule 'Branch' of provider 'VariableCheck' with an invalid configuration: "
	runCases(t, []ruleCase{
		{name: "OKWindowInNewYork", base: v2Pipeline, mutate: window("0 0 9-17 ? * MON-FRI *", "America/New_York")},
		{name: "OKWindowOffsetAndQuartz", base: v2Pipeline, mutate: window("* 0 9-17 ? * 6#3", "UTC+05:30")},
		{name: "ErrWindowCronHours", base: v2Pipeline, mutate: window("0 0 9-25 ? * MON-FRI *", ""),
			code: sluice.EStageDecl, texts: []string{windowErr + "Cron '0 0 9-25 ? * MON-FRI *' has an invalid hours field '9-25'"}},
		{name: "ErrWindowCronFields", base: v2Pipeline, mutate: window("0 9-17 ? * MON-FRI", ""),
			code: sluice.EStageDecl, texts: []string{windowErr + "Cron '0 9-17 ? * MON-FRI' has 5 fields"}},
		{name: "ErrWindowCronSeconds", base: v2Pipeline, mutate: window("15 0 9-17 ? * MON-FRI *", ""),
			code: sluice.EStageDecl, texts: []string{windowErr + "Cron '15 0 9-17 ? * MON-FRI *' has seconds field '15'"}},
		{name: "ErrWindowTimeZone", base: v2Pipeline, mutate: window("0 0 9-17 ? * MON-FRI *", "Mars/Olympus_Mons"),
			code: sluice.EStageDecl, texts: []string{windowErr + "TimeZone 'Mars/Olympus_Mons' is not a time zone"}},
		{name: "ErrWindowCronMissing", base: v2Pipeline, mutate: func(d *sluice.PipelineDeclaration) {
			delete(d.Stages[1].BeforeEntry.Conditions[0].Rules[0].Configuration, "Cron")
		}, code: sluice.EStageDecl, texts: []string{"Stage 'Build' has beforeEntry rule 'Window' of provider 'DeploymentWindow' without required configuration key 'Cron'"}},
		{name: "ErrWindowOnSuccess", base: v2Pipeline, mutate: func(d *sluice.PipelineDeclaration) {
			r := rule("Hours", "DeploymentWindow")
			r.Configuration["TimeZone"] = "Local"
			d.Stages[1].OnSuccess = &sluice.SuccessConditions{Conditions: condition("FAIL", r)}
		}, code: sluice.EStageDecl, texts: []string{"Stage 'Build' has onSuccess rule 'Hours' of provider 'DeploymentWindow' with an invalid configuration: TimeZone 'Local'"}},
		{name: "OKCheckEQ", base: v2Pipeline, mutate: check("EQ", "main")},
		{name: "OKCheckMatches", base: v2Pipeline, mutate: check("MATCHES", `release/\d+(\.\d+)*`)},
		{name: "OKCheckMatchesVariable", base: v2Pipeline, mutate: check("MATCHES", "#{variables.env}-(?<=x)")},
		{name: "ErrCheckOperator", base: v2Pipeline, mutate: check("GT", "1"),
			code: sluice.EStageDecl, texts: []string{checkErr + "Operator 'GT' is not a VariableCheck operator; use EQ, NE, CONTAINS or MATCHES"}},
		{name: "ErrCheckRegex", base: v2Pipeline, mutate: check("MATCHES", `(?<=v)\d+`),
			code: sluice.EStageDecl, texts: []string{checkErr + `Value '(?<=v)\d+' is not a MATCHES pattern Sluice can run: lookbehind`}},
		{name: "ErrCheckRegexSyntax", base: v2Pipeline, mutate: check("MATCHES", `release/(\d+`),
			code: sluice.EStageDecl, texts: []string{checkErr + `Value 'release/(\d+' is not a MATCHES pattern Sluice can run: missing closing )`}},
		{name: "ErrCheckOperatorMissing", base: v2Pipeline, mutate: func(d *sluice.PipelineDeclaration) {
			r := rule("Branch", "VariableCheck")
			delete(r.Configuration, "Operator")
			d.Stages[1].OnFailure = &sluice.FailureConditions{Result: "ROLLBACK", Conditions: condition("ROLLBACK", r)}
		}, code: sluice.EStageDecl, texts: []string{"Stage 'Build' has onFailure rule 'Branch' of provider 'VariableCheck' without required configuration key 'Operator'"}},
		{name: "OKAlarm", base: v2Pipeline, mutate: alarm(map[string]string{"AlarmStates": "ALARM,INSUFFICIENT_DATA", "WaitTime": "10"})},
		{name: "OKAlarmVariable", base: v2Pipeline, mutate: alarm(map[string]string{"WaitTime": "#{variables.wait}"})},
		{name: "ErrAlarmStates", base: v2Pipeline, mutate: alarm(map[string]string{"AlarmStates": "FIRING"}),
			code: sluice.EStageDecl, texts: []string{alarmErr + `AlarmStates "FIRING": want a comma-separated list of ALARM, OK and INSUFFICIENT_DATA`}},
		{name: "ErrAlarmWaitTime", base: v2Pipeline, mutate: alarm(map[string]string{"WaitTime": "5m"}),
			code: sluice.EStageDecl, texts: []string{alarmErr + `WaitTime "5m": want a whole number of minutes`}},
		{name: "ErrAlarmNameMissing", base: v2Pipeline, mutate: alarm(map[string]string{"AlarmName": " , "}),
			code: sluice.EStageDecl, texts: []string{alarmErr + "AlarmName is required"}},
		{name: "ErrLambdaFunctionMissing", base: v2Pipeline, mutate: func(d *sluice.PipelineDeclaration) {
			r := rule("Probe", "LambdaInvoke")
			delete(r.Configuration, "FunctionName")
			d.Stages[1].OnSuccess = &sluice.SuccessConditions{Conditions: condition("FAIL", r)}
		}, code: sluice.EStageDecl, texts: []string{"Stage 'Build' has onSuccess rule 'Probe' of provider 'LambdaInvoke' without required configuration key 'FunctionName'"}},
	})
}
