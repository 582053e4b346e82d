package benchserver

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
)

// AwaitFirstExecution waits until the execution CreatePipeline started for pipeline has
// ended, so a benchmark measures its own load rather than that run.
func AwaitFirstExecution(ctx context.Context, cp *codepipeline.Client, pipeline string) error {
	for {
		out, err := cp.ListPipelineExecutions(ctx, &codepipeline.ListPipelineExecutionsInput{PipelineName: aws.String(pipeline)})
		if err != nil {
			return err
		}
		if len(out.PipelineExecutionSummaries) > 0 && out.PipelineExecutionSummaries[0].Status != types.PipelineExecutionStatusInProgress {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("the first execution did not end: %w", ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}
