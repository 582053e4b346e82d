package policy_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"sluice/policy"
)

// Every shipped policy parses, and each grants what its name says and no more.
func TestBuiltIn(t *testing.T) {
	t.Parallel()
	docs := map[string]*policy.Document{}
	for _, m := range policy.BuiltIn() {
		require.Len(t, m.ID, 21, m.Name)
		docs[m.Name] = mustParse(t, m.Document)
	}
	allowed := func(name, action, resource string) bool {
		return policy.Evaluate(policy.Request{Action: action, Resource: resource, Context: policy.Context{}}, docs[name]) == policy.Allowed
	}
	require.True(t, allowed("AWSCodePipeline_ReadOnlyAccess", "codepipeline:GetPipeline", pipe))
	require.True(t, allowed("AWSCodePipeline_ReadOnlyAccess", "codepipeline:ListPipelines", "*"))
	require.False(t, allowed("AWSCodePipeline_ReadOnlyAccess", "codepipeline:StartPipelineExecution", pipe))
	require.False(t, allowed("AWSCodePipeline_ReadOnlyAccess", "codecommit:GitPush", "*"))
	require.True(t, allowed("AWSCodePipelineApproverAccess", "codepipeline:PutApprovalResult", pipe+"/Approve/Manual"))
	require.False(t, allowed("AWSCodePipelineApproverAccess", "codepipeline:StartPipelineExecution", pipe))
	require.True(t, allowed("AWSCodePipeline_FullAccess", "codepipeline:DeletePipeline", pipe))
	require.False(t, allowed("AWSCodePipeline_FullAccess", "iam:CreateUser", "*"))
	require.True(t, allowed("AdministratorAccess", "iam:CreateUser", "arn:aws:iam::1:user/a"))
	require.True(t, allowed("ReadOnlyAccess", "codecommit:GitPull", "arn:aws:codecommit:us-east-1:1:r"))
	require.False(t, allowed("ReadOnlyAccess", "secretsmanager:GetSecretValue", "*"))
	require.True(t, allowed("IAMReadOnlyAccess", "iam:ListUsers", "*"))
	require.False(t, allowed("IAMReadOnlyAccess", "iam:CreateUser", "*"))
	require.True(t, allowed(policy.WorkerPolicy, "sluice:PollForWorkerJobs", "*"))
	require.True(t, allowed(policy.WorkerPolicy, "codepipeline:PutJobSuccessResult", "*"))
	require.False(t, allowed(policy.WorkerPolicy, "codepipeline:GetPipeline", pipe))
	require.False(t, allowed(policy.WorkerPolicy, "codecommit:GitPull", "*"))
}
