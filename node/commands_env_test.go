package node_test

import (
	"regexp"
	"strconv"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/stretchr/testify/require"

	"sluice"
)

// TestCommandsSeeCodeBuildEnvironment runs a Commands action on two inputs, as a pipeline
// written for AWS would: it checks the CODEBUILD_* variables against Sluice's own names and
// the source's commit from inside the action, prints them to its log, and hands some out
// as output variables (CODEBUILD_BUILD_ID, as the CDK's Commands example does).
func TestCommandsSeeCodeBuildEnvironment(t *testing.T) {
	t.Parallel()
	c := setupConformance(t)
	lib := cmdAction("Lib", "mkdir lib", "echo shared > lib/lib.txt")
	lib.OutputArtifacts = []types.OutputArtifact{{Name: aws.String("Lib"), Files: []string{"lib/**"}}}
	vars := []string{"CODEBUILD_BUILD_ID", "CODEBUILD_BUILD_ARN", "CODEBUILD_BUILD_NUMBER", "CODEBUILD_START_TIME",
		"CODEBUILD_INITIATOR", "CODEBUILD_RESOLVED_SOURCE_VERSION", "AWS_REGION"}
	use := cmdAction("Use",
		`test "$CODEBUILD_SRC_DIR" = "$CODEPIPELINE_INPUT_Code"`,
		`test "$PWD" = "$CODEBUILD_SRC_DIR"`,
		`test "$CODEBUILD_SRC_DIR_Lib" = "$CODEPIPELINE_INPUT_Lib"`,
		`test "$(cat "$CODEBUILD_SRC_DIR_Lib/lib/lib.txt")" = shared`,
		`test "$CODEBUILD_BUILD_ID" = "codepipeline-commands:$CODEPIPELINE_JOB_ID"`,
		`test "$CODEBUILD_RESOLVED_SOURCE_VERSION" = "#{SRC.CommitId}"`,
		`test "$CODEBUILD_BUILD_SUCCEEDING" = 1`,
		`env | grep -E '^(CODEBUILD|AWS)_' | sort | sed 's/^/env: /'`)
	use.InputArtifacts = append(use.InputArtifacts, types.InputArtifact{Name: aws.String("Lib")})
	use.OutputVariables = vars
	p := pipeline("cbenv", stage("Lib", lib), stage("Use", use))
	p.Stages[0].Actions[0].Namespace = aws.String("SRC")
	exec := c.Create(t, p)
	c.WaitStatus(t, "cbenv", exec, types.PipelineExecutionStatusSucceeded)

	got, err := c.CP.GetPipeline(c.ctx, &codepipeline.GetPipelineInput{Name: aws.String("cbenv")})
	require.NoError(t, err)
	arn, err := sluice.ParseARN(aws.ToString(got.Metadata.PipelineArn))
	require.NoError(t, err)
	var out map[string]string
	for _, r := range c.ActionRuns(t, "cbenv", exec) {
		if aws.ToString(r.ActionName) == "Use" {
			out = r.Output.OutputVariables
		}
	}
	require.Len(t, out, len(vars), out)
	build := out["CODEBUILD_BUILD_ID"]
	require.Regexp(t, `^codepipeline-commands:\S+$`, build)
	require.Equal(t, "arn:aws:codebuild:"+arn.Region+":"+arn.Account+":build/"+build, out["CODEBUILD_BUILD_ARN"])
	require.Equal(t, "codepipeline/cbenv", out["CODEBUILD_INITIATOR"])
	require.Equal(t, arn.Region, out["AWS_REGION"])
	require.Regexp(t, `^[0-9a-f]{40}$`, out["CODEBUILD_RESOLVED_SOURCE_VERSION"])
	start, err := strconv.ParseInt(out["CODEBUILD_START_TIME"], 10, 64)
	require.NoError(t, err)
	number, err := strconv.ParseInt(out["CODEBUILD_BUILD_NUMBER"], 10, 64)
	require.NoError(t, err)
	require.Equal(t, start/1000, number, "without a project counter the number is the start in seconds")

	text, _ := c.readLog(t, "cbenv", c.actionRunID(t, "cbenv", exec, "Use"), 0)
	for _, name := range []string{"CODEBUILD_SRC_DIR", "CODEBUILD_SRC_DIR_Lib", "CODEBUILD_BUILD_ID", "CODEBUILD_BUILD_ARN",
		"CODEBUILD_PROJECT_ARN", "CODEBUILD_LOG_PATH", "CODEBUILD_SOURCE_VERSION", "AWS_DEFAULT_REGION"} {
		require.Regexp(t, regexp.MustCompile(`(?m)^env: `+name+`=\S+$`), text)
	}
	require.Contains(t, text, "env: CODEBUILD_BUILD_ID="+build+"\n")
}
