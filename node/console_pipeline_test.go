package node_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/stretchr/testify/require"

	"sluice/node/nodetest"
)

// TestConsolePipelineWithTheAPI: on the full server, what the pipeline page does is what the
// API then shows (an approval answered with a comment, a transition disabled with a reason,
// a release), and the badge turned on with tag-resource is served to anyone.
func TestConsolePipelineWithTheAPI(t *testing.T) {
	t.Parallel()
	b := nodetest.Setup(t)
	b.SeedRepo(t, nodetest.SrcRepo)
	ctx := context.Background()
	exec := b.Create(t, nodetest.Pipeline("app", nodetest.Stage("Gate", nodetest.Approval("Ok"))))
	got, err := b.CP.GetPipeline(ctx, &codepipeline.GetPipelineInput{Name: aws.String("app")})
	require.NoError(t, err)
	_, err = b.CP.TagResource(ctx, &codepipeline.TagResourceInput{ResourceArn: got.Metadata.PipelineArn,
		Tags: []types.Tag{{Key: aws.String("sluice:badge"), Value: aws.String("on")}}})
	require.NoError(t, err)
	token := b.ApprovalToken(t, "app", "Gate", "Ok")

	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	web := &http.Client{Jar: jar}
	read := func(resp *http.Response, err error) string {
		require.NoError(t, err)
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, resp.StatusCode, string(body))
		return string(body)
	}
	require.Contains(t, read(http.Get(b.URL+"/badge/app.svg")), "pipeline: InProgress", "no sign-in")
	page := read(web.PostForm(b.URL+"/signin", url.Values{"access_key_id": {nodetest.KeyID},
		"secret_access_key": {nodetest.Secret}, "next": {"/pipelines/app"}}))
	require.Contains(t, page, `name="token" value="`+token+`"`)
	csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(page)[1]

	page = read(web.PostForm(b.URL+"/pipelines/app/approve", url.Values{"csrf": {csrf}, "stage": {"Gate"}, "action": {"Ok"},
		"token": {token}, "result": {"Approved"}, "comment": {"ship it"}}))
	require.Contains(t, page, "Approved: stage Gate goes on.")
	b.WaitStatus(t, "app", exec, types.PipelineExecutionStatusSucceeded)
	gate := nodetest.StageState(t, b.State(t, "app"), "Gate")
	require.Equal(t, "ship it", aws.ToString(gate.ActionStates[0].LatestExecution.Summary))
	require.Contains(t, read(http.Get(b.URL+"/badge/app.svg")), "pipeline: Succeeded")

	read(web.PostForm(b.URL+"/pipelines/app/transition", url.Values{"csrf": {csrf}, "stage": {"Gate"}, "reason": {"freeze"}}))
	tr := nodetest.StageState(t, b.State(t, "app"), "Gate").InboundTransitionState
	require.False(t, tr.Enabled)
	require.Equal(t, "freeze", aws.ToString(tr.DisabledReason))

	page = read(web.PostForm(b.URL+"/pipelines/app/release", url.Values{"csrf": {csrf}}))
	require.Contains(t, page, "Change released")
	require.Len(t, b.Executions(t, "app"), 2)
}
