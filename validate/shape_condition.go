package validate

import "sluice"

// Model limits for stage conditions and rules.
const (
	maxConditions      = 1
	maxRules           = 5
	maxRuleConfig      = 200
	ruleConfigValueMax = 10000
)

var results = []string{"ROLLBACK", "FAIL", "RETRY", "SKIP"}

// conditions checks a stage's beforeEntry, onSuccess and onFailure hooks.
func (s *shapeErrs) conditions(path string, st *sluice.StageDeclaration) {
	if b := st.BeforeEntry; b != nil {
		s.conditionList(path+".beforeEntry.conditions", b.Conditions, true)
	}
	if o := st.OnSuccess; o != nil {
		s.conditionList(path+".onSuccess.conditions", o.Conditions, true)
	}
	if f := st.OnFailure; f != nil {
		s.str(path+".onFailure.result", f.Result, str{enum: results})
		if r := f.RetryConfiguration; r != nil {
			s.str(path+".onFailure.retryConfiguration.retryMode", string(r.RetryMode), str{enum: []string{"FAILED_ACTIONS", "ALL_ACTIONS"}})
		}
		s.conditionList(path+".onFailure.conditions", f.Conditions, false)
	}
}

func (s *shapeErrs) conditionList(path string, cs []sluice.Condition, required bool) {
	if cs == nil && required {
		s.null(path)
	}
	s.size(path, len(cs), maxConditions)
	for i, c := range cs {
		cp := member(path, i)
		s.str(cp+".result", c.Result, str{enum: results})
		s.size(cp+".rules", len(c.Rules), maxRules)
		for j := range c.Rules {
			s.rule(member(cp+".rules", j), &c.Rules[j])
		}
	}
}

func (s *shapeErrs) rule(path string, r *sluice.RuleDeclaration) {
	s.str(path+".name", r.Name, nameShape)
	id := path + ".ruleTypeId"
	s.str(id+".category", r.RuleTypeID.Category, str{required: true, enum: []string{"Rule"}})
	s.str(id+".owner", r.RuleTypeID.Owner, str{enum: []string{"AWS"}})
	s.str(id+".provider", r.RuleTypeID.Provider, str{required: true, min: 1, max: 35, pattern: providerPattern})
	s.str(id+".version", r.RuleTypeID.Version, str{min: 1, max: 9, pattern: providerPattern})
	s.stringMap(path+".configuration", r.Configuration, maxRuleConfig, configKeyMax, ruleConfigValueMax)
	s.strs(path+".commands", r.Commands, maxCommands, command)
	s.inputArtifacts(path+".inputArtifacts", r.InputArtifacts)
	s.str(path+".roleArn", r.RoleArn, roleArn)
	s.str(path+".region", r.Region, region)
	s.num(path+".timeoutInMinutes", r.TimeoutInMinutes, 5, 86400)
}
