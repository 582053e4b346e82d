package node_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/stretchr/testify/require"
)

// ruleStage is a stage whose entry is gated by one rule of provider with config.
func ruleStage(rule, provider string, config map[string]string) types.StageDeclaration {
	s := stage("Deploy", approval("Hold"))
	s.BeforeEntry = &types.BeforeEntryConditions{Conditions: []types.Condition{{Result: types.ResultFail, Rules: []types.RuleDeclaration{{
		Name:          aws.String(rule),
		RuleTypeId:    &types.RuleTypeId{Category: types.RuleCategoryRule, Owner: types.RuleOwnerAws, Provider: aws.String(provider), Version: aws.String("1")},
		Configuration: config,
	}}}}}
	return s
}

// TestRuleConfiguration drives the checks of validate/ruleconfig.go through the SDK: the
// refusal names stage, rule and field, and nothing of the declaration is stored.
func TestRuleConfiguration(t *testing.T) {
	t.Parallel()
	c := setupConformance(t)

	t.Run("ErrCreateBadCron", func(t *testing.T) {
		t.Parallel()
		p := pipeline("bad-window", ruleStage("Window", "DeploymentWindow", map[string]string{"Cron": "0 0 9-25 ? * MON-FRI *", "TimeZone": "America/New_York"}))
		_, err := c.CP.CreatePipeline(c.ctx, &codepipeline.CreatePipelineInput{Pipeline: p})
		requireAPIError(t, err, "InvalidStageDeclarationException", "Stage 'Deploy' has beforeEntry rule 'Window' of provider 'DeploymentWindow' with an invalid configuration: Cron '0 0 9-25 ? * MON-FRI *' has an invalid hours field '9-25'")
		_, err = c.CP.GetPipeline(c.ctx, &codepipeline.GetPipelineInput{Name: aws.String("bad-window")})
		requireAPIError(t, err, "PipelineNotFoundException", "bad-window")
	})

	t.Run("ErrCreateBadTimeZone", func(t *testing.T) {
		t.Parallel()
		p := pipeline("bad-zone", ruleStage("Window", "DeploymentWindow", map[string]string{"Cron": "0 0 9-17 ? * MON-FRI *", "TimeZone": "Mars/Olympus_Mons"}))
		_, err := c.CP.CreatePipeline(c.ctx, &codepipeline.CreatePipelineInput{Pipeline: p})
		requireAPIError(t, err, "InvalidStageDeclarationException", "TimeZone 'Mars/Olympus_Mons' is not a time zone")
		_, err = c.CP.GetPipeline(c.ctx, &codepipeline.GetPipelineInput{Name: aws.String("bad-zone")})
		requireAPIError(t, err, "PipelineNotFoundException", "bad-zone")
	})

	t.Run("ErrUpdateBadPatternKeepsVersion", func(t *testing.T) {
		t.Parallel()
		c.Create(t, pipeline("bad-check", stage("Deploy", approval("Hold"))))
		check := map[string]string{"Variable": "#{codepipeline.PipelineExecutionId}", "Operator": "MATCHES", "Value": `(?<=v)\d+`}
		_, err := c.CP.UpdatePipeline(c.ctx, &codepipeline.UpdatePipelineInput{Pipeline: pipeline("bad-check", ruleStage("Branch", "VariableCheck", check))})
		requireAPIError(t, err, "InvalidStageDeclarationException", `Stage 'Deploy' has beforeEntry rule 'Branch' of provider 'VariableCheck' with an invalid configuration: Value '(?<=v)\d+' is not a MATCHES pattern Sluice can run: lookbehind`)

		check["Operator"], check["Value"] = "GT", "1"
		_, err = c.CP.UpdatePipeline(c.ctx, &codepipeline.UpdatePipelineInput{Pipeline: pipeline("bad-check", ruleStage("Branch", "VariableCheck", check))})
		requireAPIError(t, err, "InvalidStageDeclarationException", "Operator 'GT' is not a VariableCheck operator")

		cur, err := c.CP.GetPipeline(c.ctx, &codepipeline.GetPipelineInput{Name: aws.String("bad-check")})
		require.NoError(t, err)
		require.EqualValues(t, 1, aws.ToInt32(cur.Pipeline.Version), "a refused update stores nothing")
		require.Nil(t, cur.Pipeline.Stages[1].BeforeEntry)
	})
}
