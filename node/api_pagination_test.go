package node_test

import (
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/stretchr/testify/require"
)

// madeUpToken is a nextToken this server never issued.
const madeUpToken = "bm90LWEtdG9rZW4"

func TestPagination(t *testing.T) {
	t.Parallel()
	c := setupConformance(t)
	var names []string
	for i := range 5 {
		names = append(names, fmt.Sprintf("page-%d", i))
		c.Create(t, pipeline(names[i], stage("Hold", approval("Hold"))))
	}
	started := map[string]bool{}
	for _, e := range c.Executions(t, "page-0") {
		started[aws.ToString(e.PipelineExecutionId)] = true
	}
	for range 4 {
		out, err := c.CP.StartPipelineExecution(c.ctx, &codepipeline.StartPipelineExecutionInput{Name: aws.String("page-0")})
		require.NoError(t, err)
		started[aws.ToString(out.PipelineExecutionId)] = true
	}
	runner := c.Create(t, pipeline("page-actions", stage("Run", cmdAction("A", "true"), cmdAction("B", "true"), cmdAction("C", "true"))))
	c.WaitStatus(t, "page-actions", runner, types.PipelineExecutionStatusSucceeded)

	t.Run("ListPipelines", func(t *testing.T) {
		t.Parallel()
		var got []string
		pages := codepipeline.NewListPipelinesPaginator(c.CP, &codepipeline.ListPipelinesInput{MaxResults: aws.Int32(2)})
		n := 0
		for pages.HasMorePages() {
			page, err := pages.NextPage(c.ctx)
			require.NoError(t, err)
			require.LessOrEqual(t, len(page.Pipelines), 2)
			for _, p := range page.Pipelines {
				got = append(got, aws.ToString(p.Name))
			}
			n++
		}
		require.Equal(t, 3, n)
		require.ElementsMatch(t, append(names, "page-actions"), got)
	})

	t.Run("ListPipelineExecutions", func(t *testing.T) {
		t.Parallel()
		var got []types.PipelineExecutionSummary
		pages := codepipeline.NewListPipelineExecutionsPaginator(c.CP, &codepipeline.ListPipelineExecutionsInput{
			PipelineName: aws.String("page-0"), MaxResults: aws.Int32(2)})
		for pages.HasMorePages() {
			page, err := pages.NextPage(c.ctx)
			require.NoError(t, err)
			require.LessOrEqual(t, len(page.PipelineExecutionSummaries), 2)
			got = append(got, page.PipelineExecutionSummaries...)
		}
		require.Len(t, got, len(started))
		for i, e := range got {
			require.True(t, started[aws.ToString(e.PipelineExecutionId)])
			if i > 0 {
				require.False(t, e.StartTime.After(*got[i-1].StartTime), "newest first")
			}
		}
	})

	t.Run("ListActionExecutions", func(t *testing.T) {
		t.Parallel()
		var got []string
		pages := codepipeline.NewListActionExecutionsPaginator(c.CP, &codepipeline.ListActionExecutionsInput{
			PipelineName: aws.String("page-actions"), MaxResults: aws.Int32(3)})
		n := 0
		for pages.HasMorePages() {
			page, err := pages.NextPage(c.ctx)
			require.NoError(t, err)
			for _, a := range page.ActionExecutionDetails {
				got = append(got, aws.ToString(a.ActionName))
			}
			n++
		}
		require.Equal(t, 2, n)
		require.ElementsMatch(t, []string{"Source", "A", "B", "C"}, got)
	})

	t.Run("ErrMadeUpNextToken", func(t *testing.T) {
		t.Parallel()
		_, err := c.CP.ListPipelines(c.ctx, &codepipeline.ListPipelinesInput{NextToken: aws.String(madeUpToken)})
		requireAPIError(t, err, "InvalidNextTokenException", "token")
		_, err = c.CP.ListPipelineExecutions(c.ctx, &codepipeline.ListPipelineExecutionsInput{PipelineName: aws.String("page-0"), NextToken: aws.String(madeUpToken)})
		requireAPIError(t, err, "InvalidNextTokenException", "token")
		_, err = c.CP.ListActionExecutions(c.ctx, &codepipeline.ListActionExecutionsInput{PipelineName: aws.String("page-0"), NextToken: aws.String(madeUpToken)})
		requireAPIError(t, err, "InvalidNextTokenException", "token")
		_, err = c.CP.ListActionTypes(c.ctx, &codepipeline.ListActionTypesInput{NextToken: aws.String(madeUpToken)})
		requireAPIError(t, err, "InvalidNextTokenException", "token")
	})

	t.Run("ErrTokenOfAnotherList", func(t *testing.T) {
		t.Parallel()
		first, err := c.CP.ListPipelines(c.ctx, &codepipeline.ListPipelinesInput{MaxResults: aws.Int32(1)})
		require.NoError(t, err)
		require.NotNil(t, first.NextToken)
		_, err = c.CP.ListPipelineExecutions(c.ctx, &codepipeline.ListPipelineExecutionsInput{PipelineName: aws.String("page-0"), NextToken: first.NextToken})
		requireAPIError(t, err, "InvalidNextTokenException", "token")
	})

	t.Run("ErrMaxResultsOutOfRange", func(t *testing.T) {
		t.Parallel()
		for _, n := range []int32{0, -1, 1001} {
			_, err := c.CP.ListPipelines(c.ctx, &codepipeline.ListPipelinesInput{MaxResults: aws.Int32(n)})
			requireAPIError(t, err, "ValidationException", "maxResults")
		}
		for _, n := range []int32{0, 101} {
			_, err := c.CP.ListPipelineExecutions(c.ctx, &codepipeline.ListPipelineExecutionsInput{PipelineName: aws.String("page-0"), MaxResults: aws.Int32(n)})
			requireAPIError(t, err, "ValidationException", "maxResults")
			_, err = c.CP.ListActionExecutions(c.ctx, &codepipeline.ListActionExecutionsInput{PipelineName: aws.String("page-0"), MaxResults: aws.Int32(n)})
			requireAPIError(t, err, "ValidationException", "maxResults")
		}
	})
}
