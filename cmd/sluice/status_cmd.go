package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/spf13/cobra"
)

// statusOptions are the flags of `sluice status`.
type statusOptions struct {
	execution string
	serverTarget
}

func statusCmd() *cobra.Command {
	o := statusOptions{serverTarget: defaultTarget()}
	cmd := &cobra.Command{
		Use:   "status PIPELINE",
		Short: "Draw a pipeline's stages and actions as its latest execution left them",
		Long: "Draw PIPELINE's stages top to bottom as boxes, like the console's pipeline view: each stage\n" +
			"with its status, each action with its status, provider, how long it ran and its summary,\n" +
			"the disabled transitions with their reason, the execution's commit, and for each approval\n" +
			"waiting for an answer the `aws codepipeline put-approval-result` command that gives it.\n\n" +
			"It shows the latest execution, or --execution's. A stage another execution is on says\n" +
			"which. Colours are used on a terminal only, and never when NO_COLOR is set.\n\n" +
			"The server is --endpoint-url, else AWS_ENDPOINT_URL; requests are signed as `sluice logs`\n" +
			"signs them.",
		Example: "  sluice status app\n" +
			"  sluice status app --execution 8d1b2c7e-...",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cp, _, err := o.pipelineClient(cmd.Flags())
			if err != nil {
				return err
			}
			b, err := boardOf(cmd.Context(), cp, args[0], o.execution)
			if err != nil {
				return apiMessage(err)
			}
			b.Endpoint = o.endpoint
			printBoard(cmd.OutOrStdout(), paletteFor(cmd.OutOrStdout()), b)
			return nil
		},
	}
	cmd.Flags().StringVar(&o.execution, "execution", "", "pipeline execution id (default: the latest execution)")
	o.addFlags(cmd.Flags())
	return cmd
}

// boardOf loads the board of execution, the latest when "".
func boardOf(ctx context.Context, cp *codepipeline.Client, pipeline, execution string) (*board, error) {
	if execution == "" {
		var err error
		if execution, err = latestExecution(ctx, cp, pipeline); err != nil {
			return nil, err
		}
	}
	return loadBoard(ctx, cp, pipeline, execution)
}

func printBoard(w io.Writer, p palette, b *board) {
	fmt.Fprintln(w, strings.Join(b.draw(p, time.Now()), "\n"))
}
