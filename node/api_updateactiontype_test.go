package node_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/stretchr/testify/require"

	"sluice"
)

// partnerDecl is the ActionTypeDeclaration of a partner type Deploy/ThirdParty/<provider>/1
// with a job worker executor, permissions, properties and URLs.
func partnerDecl(provider string) *types.ActionTypeDeclaration {
	return &types.ActionTypeDeclaration{
		Id: &types.ActionTypeIdentifier{Category: types.ActionCategoryDeploy, Owner: aws.String("ThirdParty"),
			Provider: aws.String(provider), Version: aws.String("1")},
		Description: aws.String("Deploys to the partner's fleet."),
		Executor: &types.ActionTypeExecutor{Type: types.ExecutorTypeJobWorker, JobTimeout: aws.Int32(900),
			PolicyStatementsTemplate: aws.String(`{"Statement":[]}`),
			Configuration: &types.ExecutorConfiguration{JobWorkerExecutorConfiguration: &types.JobWorkerExecutorConfiguration{
				PollingAccounts: []string{"111111111111"}}}},
		InputArtifactDetails:  &types.ActionTypeArtifactDetails{MinimumCount: 1, MaximumCount: 7},
		OutputArtifactDetails: &types.ActionTypeArtifactDetails{MinimumCount: 0, MaximumCount: 0},
		Permissions:           &types.ActionTypePermissions{AllowedAccounts: []string{"*"}},
		Properties: []types.ActionTypeProperty{
			{Name: aws.String("Fleet"), Optional: false, Key: true, NoEcho: false, Queryable: true, Description: aws.String("The fleet to deploy to.")},
			{Name: aws.String("Token"), Optional: true, Key: false, NoEcho: true},
		},
		Urls: &types.ActionTypeUrls{ConfigurationUrl: aws.String("https://partner.example.com/setup"),
			ExecutionUrlTemplate: aws.String("https://partner.example.com/{Config:Fleet}/runs/{ExternalExecutionId}")},
	}
}

// TestUpdateActionType declares a registered partner type with UpdateActionType through
// aws-sdk-go-v2 and reads it back whole with GetActionType; pipelines then see its new
// artifact bounds. Built-in, unknown and malformed declarations get the model's errors.
func TestUpdateActionType(t *testing.T) {
	t.Parallel()
	c := setupConformance(t)
	register := func(t *testing.T, provider string) {
		t.Helper()
		_, _, err := c.Node.API.Service.RegisterPartnerActionType(c.ctx, sluice.ServerCaller(), sluice.ActionType{
			ID:                      sluice.ActionTypeID{Category: "Deploy", Owner: "ThirdParty", Provider: provider, Version: "1"},
			ConfigurationProperties: []sluice.ActionConfigurationProperty{{Name: "Fleet", Required: true, Key: true}},
			InputArtifactDetails:    sluice.ArtifactDetails{MinimumCount: 1, MaximumCount: 1},
		})
		require.NoError(t, err)
	}
	get := func(t *testing.T, id *types.ActionTypeIdentifier) (*types.ActionTypeDeclaration, error) {
		t.Helper()
		out, err := c.CP.GetActionType(c.ctx, &codepipeline.GetActionTypeInput{Category: id.Category, Owner: id.Owner, Provider: id.Provider, Version: id.Version})
		if err != nil {
			return nil, err
		}
		return out.ActionType, nil
	}

	t.Run("DeclaresAndReadsBack", func(t *testing.T) {
		t.Parallel()
		register(t, "FleetDeploy")
		before, err := get(t, partnerDecl("FleetDeploy").Id)
		require.NoError(t, err)
		require.Equal(t, types.ExecutorTypeJobWorker, before.Executor.Type)
		require.Nil(t, before.Permissions)
		require.EqualValues(t, 1, before.InputArtifactDetails.MaximumCount)

		want := partnerDecl("FleetDeploy")
		_, err = c.CP.UpdateActionType(c.ctx, &codepipeline.UpdateActionTypeInput{ActionType: want})
		require.NoError(t, err)
		got, err := get(t, want.Id)
		require.NoError(t, err)
		require.Equal(t, aws.ToString(want.Description), aws.ToString(got.Description))
		require.Equal(t, want.Executor.Type, got.Executor.Type)
		require.EqualValues(t, 900, aws.ToInt32(got.Executor.JobTimeout))
		require.Equal(t, `{"Statement":[]}`, aws.ToString(got.Executor.PolicyStatementsTemplate))
		require.Equal(t, []string{"111111111111"}, got.Executor.Configuration.JobWorkerExecutorConfiguration.PollingAccounts)
		require.Nil(t, got.Executor.Configuration.LambdaExecutorConfiguration)
		require.Equal(t, *want.InputArtifactDetails, *got.InputArtifactDetails)
		require.Equal(t, *want.OutputArtifactDetails, *got.OutputArtifactDetails)
		require.Equal(t, []string{"*"}, got.Permissions.AllowedAccounts)
		require.Len(t, got.Properties, 2)
		for i, p := range want.Properties {
			g := got.Properties[i]
			require.Equal(t, aws.ToString(p.Name), aws.ToString(g.Name))
			require.Equal(t, []bool{p.Optional, p.Key, p.NoEcho, p.Queryable}, []bool{g.Optional, g.Key, g.NoEcho, g.Queryable})
			require.Equal(t, aws.ToString(p.Description), aws.ToString(g.Description))
		}
		require.Equal(t, aws.ToString(want.Urls.ConfigurationUrl), aws.ToString(got.Urls.ConfigurationUrl))
		require.Equal(t, aws.ToString(want.Urls.ExecutionUrlTemplate), aws.ToString(got.Urls.ExecutionUrlTemplate))
		require.Nil(t, got.Urls.EntityUrlTemplate)

		// ListActionTypes and pipelines see the new definition: up to seven inputs.
		types_, err := c.CP.ListActionTypes(c.ctx, &codepipeline.ListActionTypesInput{ActionOwnerFilter: types.ActionOwnerThirdParty})
		require.NoError(t, err)
		found := false
		for _, at := range types_.ActionTypes {
			if aws.ToString(at.Id.Provider) == "FleetDeploy" {
				found = true
				require.EqualValues(t, 7, at.InputArtifactDetails.MaximumCount)
				require.Equal(t, "https://partner.example.com/setup", aws.ToString(at.Settings.ThirdPartyConfigurationUrl))
			}
		}
		require.True(t, found)
	})

	t.Run("LambdaExecutor", func(t *testing.T) {
		t.Parallel()
		register(t, "LambdaDeploy")
		d := partnerDecl("LambdaDeploy")
		d.Executor = &types.ActionTypeExecutor{Type: types.ExecutorTypeLambda, Configuration: &types.ExecutorConfiguration{
			LambdaExecutorConfiguration: &types.LambdaExecutorConfiguration{LambdaFunctionArn: aws.String("arn:aws:lambda:us-east-1:111111111111:function:deploy")}}}
		_, err := c.CP.UpdateActionType(c.ctx, &codepipeline.UpdateActionTypeInput{ActionType: d})
		require.NoError(t, err)
		got, err := get(t, d.Id)
		require.NoError(t, err)
		require.Equal(t, types.ExecutorTypeLambda, got.Executor.Type)
		require.Equal(t, "arn:aws:lambda:us-east-1:111111111111:function:deploy", aws.ToString(got.Executor.Configuration.LambdaExecutorConfiguration.LambdaFunctionArn))
		require.Nil(t, got.Executor.JobTimeout)

		d.Executor.Configuration.LambdaExecutorConfiguration = nil
		_, err = c.CP.UpdateActionType(c.ctx, &codepipeline.UpdateActionTypeInput{ActionType: d})
		requireAPIError(t, err, "ValidationException", "lambdaFunctionArn")
	})

	t.Run("ErrNotRegistered", func(t *testing.T) {
		t.Parallel()
		_, err := c.CP.UpdateActionType(c.ctx, &codepipeline.UpdateActionTypeInput{ActionType: partnerDecl("NobodyRegistered")})
		requireAPIError(t, err, "ActionTypeNotFoundException", "NobodyRegistered")
		builtIn := partnerDecl("CodeDeploy")
		builtIn.Id.Owner = aws.String("AWS")
		_, err = c.CP.UpdateActionType(c.ctx, &codepipeline.UpdateActionTypeInput{ActionType: builtIn})
		requireAPIError(t, err, "ActionTypeNotFoundException", "CodeDeploy")
	})

	t.Run("ErrBadDeclaration", func(t *testing.T) {
		t.Parallel()
		register(t, "BadDeploy")
		d := partnerDecl("BadDeploy")
		d.InputArtifactDetails.MaximumCount = 11
		d.Executor.JobTimeout = aws.Int32(30)
		d.Permissions.AllowedAccounts = []string{"everyone"}
		_, err := c.CP.UpdateActionType(c.ctx, &codepipeline.UpdateActionTypeInput{ActionType: d})
		requireAPIError(t, err, "ValidationException", "actionType.inputArtifactDetails.maximumCount")
		requireAPIError(t, err, "ValidationException", "actionType.executor.jobTimeout")
		requireAPIError(t, err, "ValidationException", "actionType.permissions.allowedAccounts.1.member")

		d = partnerDecl("BadDeploy")
		d.InputArtifactDetails.MinimumCount = 8
		_, err = c.CP.UpdateActionType(c.ctx, &codepipeline.UpdateActionTypeInput{ActionType: d})
		requireAPIError(t, err, "ValidationException", "minimumCount 8 is greater than maximumCount 7")
		got, err := get(t, d.Id)
		require.NoError(t, err)
		require.EqualValues(t, 1, got.InputArtifactDetails.MaximumCount, "a refused declaration changes nothing")
	})
}
