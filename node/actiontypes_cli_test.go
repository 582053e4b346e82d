package node_test

import (
	"encoding/json"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/node/nodetest"
)

// TestActionTypesWithTheAWSCLI drives issue 12's action-type operations with the real AWS
// CLI: list-rule-types, update-action-type then get-action-type of a partner type, and
// list-deploy-action-execution-targets of an action execution without targets.
func TestActionTypesWithTheAWSCLI(t *testing.T) {
	t.Parallel()
	requireAWSCLI(t)
	c := setupConformance(t)
	cli := iamCLI{t, c.URL}
	cp := func(v any, args ...string) {
		t.Helper()
		cli.ok(nodetest.KeyID, nodetest.Secret, v, append([]string{"codepipeline"}, args...)...)
	}

	var rules struct {
		RuleTypes []struct {
			ID struct{ Category, Owner, Provider, Version string } `json:"id"`
		} `json:"ruleTypes"`
	}
	cp(&rules, "list-rule-types", "--rule-owner-filter", "AWS")
	var providers []string
	for _, r := range rules.RuleTypes {
		require.Equal(t, "Rule", r.ID.Category)
		providers = append(providers, r.ID.Provider)
	}
	require.ElementsMatch(t, []string{"CloudWatchAlarm", "Commands", "DeploymentWindow", "LambdaInvoke", "VariableCheck"}, providers)

	_, _, err := c.Node.API.Service.RegisterPartnerActionType(c.ctx, sluice.ServerCaller(), sluice.ActionType{
		ID:                   sluice.ActionTypeID{Category: "Deploy", Owner: "ThirdParty", Provider: "CliDeploy", Version: "1"},
		InputArtifactDetails: sluice.ArtifactDetails{MinimumCount: 1, MaximumCount: 1},
	})
	require.NoError(t, err)
	decl := `{"id":{"category":"Deploy","owner":"ThirdParty","provider":"CliDeploy","version":"1"},"description":"CLI-declared",
"executor":{"type":"JobWorker","configuration":{"jobWorkerExecutorConfiguration":{"pollingServicePrincipals":["codedeploy.amazonaws.com"]}},"jobTimeout":120},
"inputArtifactDetails":{"minimumCount":0,"maximumCount":2},"outputArtifactDetails":{"minimumCount":0,"maximumCount":0},
"permissions":{"allowedAccounts":["111111111111"]},
"properties":[{"name":"Fleet","optional":false,"key":true,"noEcho":false,"description":"fleet"}],
"urls":{"entityUrlTemplate":"https://partner.example.com/{Config:Fleet}"}}`
	cp(nil, "update-action-type", "--action-type", decl)
	var got struct {
		ActionType json.RawMessage `json:"actionType"`
	}
	cp(&got, "get-action-type", "--category", "Deploy", "--owner", "ThirdParty", "--provider", "CliDeploy", "--action-version", "1")
	require.JSONEq(t, decl, string(got.ActionType))

	exec := c.Create(t, pipeline("cli-targets", stage("Deploy", cmdAction("Hosts", "true"))))
	c.WaitStatus(t, "cli-targets", exec, types.PipelineExecutionStatusSucceeded)
	run := aws.ToString(c.ActionRuns(t, "cli-targets", exec)[0].ActionExecutionId)
	var targets struct {
		Targets []json.RawMessage `json:"targets"`
	}
	cp(&targets, "list-deploy-action-execution-targets", "--pipeline-name", "cli-targets", "--action-execution-id", run,
		"--filters", "name=TARGET_STATUS,values=Succeeded")
	require.NotNil(t, targets.Targets)
	require.Empty(t, targets.Targets)
	cli.fails(nodetest.KeyID, nodetest.Secret, []string{"ActionExecutionNotFoundException"},
		"codepipeline", "list-deploy-action-execution-targets", "--action-execution-id", "no-such-run")
}
