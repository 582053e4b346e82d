package sluice

// RuleCategory is the only category of the model's RuleCategory enum.
const RuleCategory = "Rule"

// RuleType is the model's RuleType: a stage-condition rule type as ListRuleTypes returns it.
type RuleType struct {
	ID                      RuleTypeID                  `json:"id"`
	Settings                *RuleTypeSettings           `json:"settings,omitempty"`
	ConfigurationProperties []RuleConfigurationProperty `json:"ruleConfigurationProperties"`
	InputArtifactDetails    ArtifactDetails             `json:"inputArtifactDetails"`
}

// RuleTypeSettings is the model's RuleTypeSettings: the links a console shows for a rule.
type RuleTypeSettings struct {
	ThirdPartyConfigurationURL string `json:"thirdPartyConfigurationUrl,omitempty"`
	EntityURLTemplate          string `json:"entityUrlTemplate,omitempty"`
	ExecutionURLTemplate       string `json:"executionUrlTemplate,omitempty"`
	RevisionURLTemplate        string `json:"revisionUrlTemplate,omitempty"`
}

// RuleConfigurationProperty is the model's RuleConfigurationProperty.
type RuleConfigurationProperty struct {
	Name        string `json:"name"`
	Required    bool   `json:"required"`
	Key         bool   `json:"key"`
	Secret      bool   `json:"secret"`
	Queryable   bool   `json:"queryable,omitempty"`
	Description string `json:"description,omitempty"`
	Type        string `json:"type,omitempty"`
}

// Property returns the named configuration property, or nil.
func (t *RuleType) Property(name string) *RuleConfigurationProperty {
	for i := range t.ConfigurationProperties {
		if t.ConfigurationProperties[i].Name == name {
			return &t.ConfigurationProperties[i]
		}
	}
	return nil
}
