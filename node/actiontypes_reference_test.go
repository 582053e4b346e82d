package node_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/stretchr/testify/require"
)

// referenceActions are actions of the types the user guide's action structure reference
// lists and Sluice runs no provider for, configured as the reference's examples are.
var referenceActions = []struct {
	category, provider string
	configuration      map[string]string
	inputs             []string
}{
	{"Deploy", "EC2", map[string]string{"InstanceTagKey": "Name", "InstanceTagValue": "my-instances", "InstanceType": "EC2",
		"TargetDirectory": "/home/ec2-user/deploy", "PostScript": "test/script.sh", "MaxBatch": "1", "MaxError": "1"}, []string{"Code"}},
	{"Deploy", "EKS", map[string]string{"ClusterName": "my-eks-cluster", "ManifestFiles": "./deployment.yaml", "Namespace": "web"}, []string{"Code"}},
	{"Deploy", "Lambda", map[string]string{"FunctionName": "my-function", "FunctionAlias": "live",
		"DeployStrategy": "Canary10Percent5Minutes"}, []string{"Code"}},
	{"Invoke", "InspectorScan", map[string]string{"InspectorRunMode": "SourceCodeScan", "CriticalThreshold": "0", "HighThreshold": "5"}, []string{"Code"}},
	{"Deploy", "CloudFormationStackSet", map[string]string{"StackSetName": "my-stackset", "TemplatePath": "Code::template.json",
		"DeploymentTargets": "111111222222", "Regions": "us-east-1", "PermissionModel": "SELF_MANAGED",
		"FailureTolerancePercentage": "20", "MaxConcurrentPercentage": "25"}, []string{"Code"}},
	{"Deploy", "CloudFormationStackInstances", map[string]string{"StackSetName": "my-stackset",
		"DeploymentTargets": "111111222222", "Regions": "us-east-1,us-east-2"}, nil},
}

// TestActionReferenceTypesCreate creates, with the AWS CLI, a pipeline with each action type
// AWS lists that Sluice does not run (EC2, EKS and Lambda deploys, InspectorScan, the
// StackSets actions): each is accepted as declared, and its first execution fails at the
// action with the message every type without a worker gets.
func TestActionReferenceTypesCreate(t *testing.T) {
	t.Parallel()
	c := setupConformance(t)
	cli := awsCLI(t, c)
	for _, ra := range referenceActions {
		t.Run(ra.provider, func(t *testing.T) {
			t.Parallel()
			name := "ref-" + ra.provider
			inputs := []map[string]string{}
			for _, in := range ra.inputs {
				inputs = append(inputs, map[string]string{"name": in})
			}
			doc := map[string]any{"pipeline": map[string]any{
				"name": name, "pipelineType": "V2", "roleArn": "arn:aws:iam::000000000000:role/sluice-pipeline",
				"artifactStore": map[string]string{"type": "S3", "location": "sluice-artifacts"},
				"stages": []any{sourceStageDoc(), map[string]any{"name": "Release", "actions": []any{map[string]any{
					"name": "Act", "runOrder": 1, "configuration": ra.configuration, "inputArtifacts": inputs, "outputArtifacts": []any{},
					"actionTypeId": map[string]string{"category": ra.category, "owner": "AWS", "provider": ra.provider, "version": "1"},
				}}}},
			}}
			body, err := json.Marshal(doc)
			require.NoError(t, err)
			out, err := cli("codepipeline", "create-pipeline", "--cli-input-json", string(body))
			require.NoError(t, err, out)

			execs := c.Executions(t, name)
			require.Len(t, execs, 1)
			c.WaitStatus(t, name, aws.ToString(execs[0].PipelineExecutionId), types.PipelineExecutionStatusFailed)
			details := stageState(t, c.State(t, name), "Release").ActionStates[0].LatestExecution.ErrorDetails
			require.Equal(t, fmt.Sprintf("Action Act: no Sluice worker runs action type %s/AWS/%s/1 yet; ListActionTypes shows the types Sluice knows, and the README lists those it runs.",
				ra.category, ra.provider), aws.ToString(details.Message))
		})
	}
}

// sourceStageDoc is pipeline()'s CodeCommit source stage as the wire writes it.
func sourceStageDoc() map[string]any {
	return map[string]any{"name": "Source", "actions": []any{map[string]any{
		"name": "Source", "actionTypeId": map[string]string{"category": "Source", "owner": "AWS", "provider": "CodeCommit", "version": "1"},
		"configuration":   map[string]string{"RepositoryName": srcRepo, "BranchName": "main", "PollForSourceChanges": "false"},
		"outputArtifacts": []any{map[string]string{"name": "Code"}},
	}}}
}
