package validate_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/catalog"
	"sluice/validate"
)

// ruleCase is one table row: a mutation of a valid pipeline and what Pipeline must return.
type ruleCase struct {
	name   string
	base   func() *sluice.PipelineDeclaration // nil: v1Pipeline
	mutate func(d *sluice.PipelineDeclaration)
	opts   validate.Options
	code   sluice.Code // "" means valid
	texts  []string    // substrings the message must contain
}

// runCases runs each case as a parallel subtest named after it.
func runCases(t *testing.T, cases []ruleCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			base := tc.base
			if base == nil {
				base = v1Pipeline
			}
			d := base()
			if tc.mutate != nil {
				tc.mutate(d)
			}
			err := tc.opts.Pipeline(d, customLookup())
			if tc.code == "" {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			require.Equal(t, tc.code, sluice.ErrorCode(err), err.Error())
			for _, text := range tc.texts {
				require.Contains(t, err.Error(), text)
			}
		})
	}
}

func id(category, owner, provider string) sluice.ActionTypeID {
	return sluice.ActionTypeID{Category: category, Owner: owner, Provider: provider, Version: "1"}
}

// customType is a Custom Build type with declared properties (so strict), one of them queryable.
var customType = sluice.ActionType{
	ID: id(sluice.CategoryBuild, sluice.OwnerCustom, "MyBuilder"),
	ConfigurationProperties: []sluice.ActionConfigurationProperty{
		{Name: "Project", Required: true, Key: true, Queryable: true},
		{Name: "Token", Secret: true},
	},
	InputArtifactDetails:  sluice.ArtifactDetails{MinimumCount: 0, MaximumCount: 5},
	OutputArtifactDetails: sluice.ArtifactDetails{MinimumCount: 0, MaximumCount: 5},
}

// bareCustomType declares no properties, so any configuration key is accepted.
var bareCustomType = sluice.ActionType{
	ID:                    id(sluice.CategoryTest, sluice.OwnerCustom, "Bare"),
	InputArtifactDetails:  sluice.ArtifactDetails{MinimumCount: 0, MaximumCount: 5},
	OutputArtifactDetails: sluice.ArtifactDetails{MinimumCount: 0, MaximumCount: 5},
}

func customLookup() func(sluice.ActionTypeID) (*sluice.ActionType, bool) {
	return catalog.With(customType, bareCustomType)
}

// v1Pipeline is a valid V1 pipeline: an S3 source, then CodeBuild and a CodeDeploy deploy.
func v1Pipeline() *sluice.PipelineDeclaration {
	return &sluice.PipelineDeclaration{
		Name:          "demo",
		RoleArn:       "arn:aws:iam::123456789012:role/demo",
		ArtifactStore: &sluice.ArtifactStoreDecl{Type: "S3", Location: "demo-bucket"},
		Stages: []sluice.StageDeclaration{
			{Name: "Source", Actions: []sluice.ActionDeclaration{{
				Name:            "Fetch",
				ActionTypeID:    id(sluice.CategorySource, sluice.OwnerAWS, "S3"),
				Configuration:   map[string]string{"S3Bucket": "src", "S3ObjectKey": "app.zip"},
				OutputArtifacts: []sluice.OutputArtifact{{Name: "Src"}},
				Namespace:       "SourceVars",
			}}},
			{Name: "Build", Actions: []sluice.ActionDeclaration{
				{
					Name:            "Compile",
					ActionTypeID:    id(sluice.CategoryBuild, sluice.OwnerAWS, "CodeBuild"),
					Configuration:   map[string]string{"ProjectName": "demo"},
					InputArtifacts:  []sluice.InputArtifact{{Name: "Src"}},
					OutputArtifacts: []sluice.OutputArtifact{{Name: "Bin"}},
				},
				{
					Name:           "Ship",
					RunOrder:       2,
					ActionTypeID:   id(sluice.CategoryDeploy, sluice.OwnerAWS, "CodeDeploy"),
					Configuration:  map[string]string{"ApplicationName": "app", "DeploymentGroupName": "#{SourceVars.VersionId}"},
					InputArtifacts: []sluice.InputArtifact{{Name: "Bin"}},
				},
			}},
		},
	}
}

// v2Pipeline is a valid V2 pipeline with a connection source, a trigger, a variable, a
// Commands action and stage conditions.
func v2Pipeline() *sluice.PipelineDeclaration {
	d := v1Pipeline()
	d.PipelineType = "V2"
	d.Stages[0].Actions[0] = sluice.ActionDeclaration{
		Name:         "Fetch",
		ActionTypeID: id(sluice.CategorySource, sluice.OwnerAWS, "CodeStarSourceConnection"),
		Configuration: map[string]string{
			"ConnectionArn": "arn:aws:codestar-connections:us-east-1:123456789012:connection/x", "FullRepositoryId": "o/r", "BranchName": "main",
		},
		OutputArtifacts: []sluice.OutputArtifact{{Name: "Src"}},
		Namespace:       "SourceVars",
	}
	def := "prod"
	d.Variables = []sluice.PipelineVariableDeclaration{{Name: "env", DefaultValue: &def}}
	d.Triggers = []sluice.PipelineTriggerDeclaration{{
		ProviderType: "CodeStarSourceConnection",
		GitConfiguration: sluice.GitConfiguration{
			SourceActionName: "Fetch",
			Push:             []sluice.GitPushFilter{{Branches: &sluice.GitFilterCriteria{Includes: []string{"main"}}}},
		},
	}}
	d.Stages[1].Actions = append(d.Stages[1].Actions, sluice.ActionDeclaration{
		Name:            "Script",
		RunOrder:        3,
		ActionTypeID:    id(sluice.CategoryCompute, sluice.OwnerAWS, "Commands"),
		Commands:        []string{"echo #{variables.env}"},
		InputArtifacts:  []sluice.InputArtifact{{Name: "Src"}},
		OutputArtifacts: []sluice.OutputArtifact{{Name: "Report", Files: []string{"report/**/*"}}},
		OutputVariables: []string{"RESULT"},
	})
	d.Stages[1].BeforeEntry = &sluice.BeforeEntryCondition{Conditions: []sluice.Condition{{
		Result: "FAIL",
		Rules:  []sluice.RuleDeclaration{rule("Window", "DeploymentWindow")},
	}}}
	return d
}

func rule(name, provider string) sluice.RuleDeclaration {
	config := map[string]string{"Cron": "0 0 9-17 ? * MON-FRI *"}
	switch provider {
	case "VariableCheck":
		config = map[string]string{"Variable": "#{SourceVars.BranchName}", "Operator": "EQ", "Value": "main"}
	case "CloudWatchAlarm":
		config = map[string]string{"AlarmName": "HighErrors"}
	case "LambdaInvoke":
		config = map[string]string{"FunctionName": "probe"}
	}
	return sluice.RuleDeclaration{
		Name:          name,
		RuleTypeID:    sluice.RuleTypeID{Category: "Rule", Owner: "AWS", Provider: provider, Version: "1"},
		Configuration: config,
	}
}

// action returns the action at stage i, index j of d.
func action(d *sluice.PipelineDeclaration, i, j int) *sluice.ActionDeclaration {
	return &d.Stages[i].Actions[j]
}
