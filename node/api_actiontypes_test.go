package node_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/stretchr/testify/require"
)

func TestActionTypes(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := t.Context()

	t.Run("ListOwnedByAWS", func(t *testing.T) {
		t.Parallel()
		got := map[string]types.ActionType{}
		pages := codepipeline.NewListActionTypesPaginator(b.CP, &codepipeline.ListActionTypesInput{ActionOwnerFilter: types.ActionOwnerAws})
		for pages.HasMorePages() {
			page, err := pages.NextPage(ctx)
			require.NoError(t, err)
			for _, at := range page.ActionTypes {
				require.Equal(t, types.ActionOwnerAws, at.Id.Owner)
				got[string(at.Id.Category)+"/"+aws.ToString(at.Id.Provider)] = at
			}
		}
		for _, want := range []string{"Compute/Commands", "Source/CodeCommit", "Approval/Manual"} {
			require.Contains(t, got, want)
		}
		cmds := got["Compute/Commands"]
		require.EqualValues(t, 1, cmds.InputArtifactDetails.MinimumCount)
		require.EqualValues(t, 10, cmds.InputArtifactDetails.MaximumCount)
		require.Equal(t, "1", aws.ToString(cmds.Id.Version))
		src := got["Source/CodeCommit"]
		var props []string
		for _, p := range src.ActionConfigurationProperties {
			props = append(props, aws.ToString(p.Name))
		}
		require.Contains(t, props, "RepositoryName")
		require.Contains(t, props, "BranchName")
	})

	t.Run("ListOtherOwners", func(t *testing.T) {
		t.Parallel()
		out, err := b.CP.ListActionTypes(ctx, &codepipeline.ListActionTypesInput{ActionOwnerFilter: types.ActionOwnerThirdParty})
		require.NoError(t, err)
		for _, at := range out.ActionTypes {
			require.Equal(t, types.ActionOwnerThirdParty, at.Id.Owner)
		}
		all, err := b.CP.ListActionTypes(ctx, &codepipeline.ListActionTypesInput{})
		require.NoError(t, err)
		require.Greater(t, len(all.ActionTypes), len(out.ActionTypes))
	})

	t.Run("ErrBadOwnerFilter", func(t *testing.T) {
		t.Parallel()
		_, err := b.CP.ListActionTypes(ctx, &codepipeline.ListActionTypesInput{ActionOwnerFilter: "Amazon"})
		requireAPIError(t, err, "ValidationException", "actionOwnerFilter")
	})

	t.Run("GetKnown", func(t *testing.T) {
		t.Parallel()
		out, err := b.CP.GetActionType(ctx, &codepipeline.GetActionTypeInput{Category: types.ActionCategoryCompute,
			Owner: aws.String("AWS"), Provider: aws.String("Commands"), Version: aws.String("1")})
		require.NoError(t, err)
		at := out.ActionType
		require.Equal(t, "Commands", aws.ToString(at.Id.Provider))
		require.Equal(t, types.ActionCategoryCompute, at.Id.Category)
		require.Equal(t, "AWS", aws.ToString(at.Id.Owner))
		require.EqualValues(t, 1, at.InputArtifactDetails.MinimumCount)
		require.EqualValues(t, 10, at.InputArtifactDetails.MaximumCount)
		require.EqualValues(t, 1, at.OutputArtifactDetails.MaximumCount)
		require.NotNil(t, at.Executor)
	})

	t.Run("ErrGetUnknown", func(t *testing.T) {
		t.Parallel()
		_, err := b.CP.GetActionType(ctx, &codepipeline.GetActionTypeInput{Category: types.ActionCategoryBuild,
			Owner: aws.String("AWS"), Provider: aws.String("NoSuchBuilder"), Version: aws.String("1")})
		requireAPIError(t, err, "ActionTypeNotFoundException", "NoSuchBuilder")
	})

	t.Run("ListRuleTypes", func(t *testing.T) {
		t.Parallel()
		out, err := b.CP.ListRuleTypes(ctx, &codepipeline.ListRuleTypesInput{RuleOwnerFilter: types.RuleOwnerAws})
		require.NoError(t, err)
		got := map[string]types.RuleType{}
		for _, rt := range out.RuleTypes {
			require.Equal(t, types.RuleCategoryRule, rt.Id.Category)
			require.Equal(t, types.RuleOwnerAws, rt.Id.Owner)
			require.Equal(t, "1", aws.ToString(rt.Id.Version))
			got[aws.ToString(rt.Id.Provider)] = rt
		}
		require.Len(t, got, 5)
		window := got["DeploymentWindow"]
		require.NotNil(t, window.InputArtifactDetails)
		var required []string
		for _, p := range window.RuleConfigurationProperties {
			if p.Required {
				required = append(required, aws.ToString(p.Name))
			}
		}
		require.Equal(t, []string{"Cron"}, required)
		require.Contains(t, got, "CloudWatchAlarm")
		require.Contains(t, got, "VariableCheck")
		require.Contains(t, got, "LambdaInvoke")
		require.Contains(t, got, "Commands")
	})

	t.Run("ErrListRuleTypesOwner", func(t *testing.T) {
		t.Parallel()
		_, err := b.CP.ListRuleTypes(ctx, &codepipeline.ListRuleTypesInput{RuleOwnerFilter: "Custom"})
		requireAPIError(t, err, "ValidationException", "ruleOwnerFilter")
	})
}
