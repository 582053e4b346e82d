package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/spf13/cobra"
)

// historyOptions are the flags of `sluice history`.
type historyOptions struct {
	limit  int
	status string
	serverTarget
}

func historyCmd() *cobra.Command {
	o := historyOptions{limit: 20, serverTarget: defaultTarget()}
	cmd := &cobra.Command{
		Use:   "history PIPELINE",
		Short: "List a pipeline's executions, newest first",
		Long: "List the executions of PIPELINE, newest first, as ListPipelineExecutions answers them: status,\n" +
			"execution id, trigger, the commit (short id and message) of its first source, when it\n" +
			"started and how long it ran (or has been running).\n\n" +
			"The server is --endpoint-url, else AWS_ENDPOINT_URL; requests are signed as `sluice logs`\n" +
			"signs them.",
		Example: "  sluice history app\n" +
			"  sluice history app --status Failed --limit 5",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cp, _, err := o.pipelineClient(cmd.Flags())
			if err != nil {
				return err
			}
			return runHistory(cmd.Context(), cmd.OutOrStdout(), cp, args[0], o)
		},
	}
	f := cmd.Flags()
	f.IntVarP(&o.limit, "limit", "L", o.limit, "list at most this many executions")
	f.StringVarP(&o.status, "status", "s", "", "list only executions with this status: "+strings.Join(executionStatuses(), ", "))
	o.addFlags(f)
	return cmd
}

func executionStatuses() []string {
	var out []string
	for _, s := range types.PipelineExecutionStatus("").Values() {
		out = append(out, string(s))
	}
	return out
}

// canonicalStatus is the status named by s in any case, or an error listing them.
func canonicalStatus(s string) (types.PipelineExecutionStatus, error) {
	for _, v := range executionStatuses() {
		if strings.EqualFold(v, s) {
			return types.PipelineExecutionStatus(v), nil
		}
	}
	return "", fmt.Errorf("--status %q is not a status: use one of %s", s, strings.Join(executionStatuses(), ", "))
}

func runHistory(ctx context.Context, out io.Writer, cp *codepipeline.Client, pipeline string, o historyOptions) error {
	var want types.PipelineExecutionStatus
	if o.status != "" {
		var err error
		if want, err = canonicalStatus(o.status); err != nil {
			return err
		}
	}
	if o.limit < 1 {
		return fmt.Errorf("--limit must be at least 1")
	}
	runs, err := listExecutions(ctx, cp, pipeline, o.limit, want)
	if err != nil {
		return apiMessage(err)
	}
	if len(runs) == 0 {
		if want != "" {
			fmt.Fprintf(out, "No executions of %s with status %s\n", pipeline, want)
		} else {
			fmt.Fprintf(out, "No executions of %s yet\n", pipeline)
		}
		return nil
	}
	printHistory(out, paletteFor(out), runs, time.Now())
	return nil
}

// listExecutions pages through ListPipelineExecutions until limit executions with status
// want ("" any) are found or there are no more.
func listExecutions(ctx context.Context, cp *codepipeline.Client, pipeline string, limit int, want types.PipelineExecutionStatus) ([]types.PipelineExecutionSummary, error) {
	var runs []types.PipelineExecutionSummary
	pages := codepipeline.NewListPipelineExecutionsPaginator(cp, &codepipeline.ListPipelineExecutionsInput{
		PipelineName: aws.String(pipeline), MaxResults: aws.Int32(int32(min(max(limit, 1), 100)))})
	for pages.HasMorePages() && len(runs) < limit {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, r := range page.PipelineExecutionSummaries {
			if (want == "" || r.Status == want) && len(runs) < limit {
				runs = append(runs, r)
			}
		}
	}
	return runs, nil
}

// printHistory writes one line per execution, aligned in columns.
func printHistory(out io.Writer, p palette, runs []types.PipelineExecutionSummary, now time.Time) {
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "STATUS\tEXECUTION\tTRIGGER\tCOMMIT\tMESSAGE\tSTARTED\tDURATION")
	for _, r := range runs {
		status := string(r.Status)
		commit, message := firstRevision(r.SourceRevisions)
		running := slices.Contains([]types.PipelineExecutionStatus{types.PipelineExecutionStatusInProgress, types.PipelineExecutionStatusStopping}, r.Status)
		// The colour codes are the same width on every line, so the columns stay aligned.
		fmt.Fprintf(tw, "%s %s\t%s\t%s\t%s\t%s\t%s\t%s\n", statusMark(status), p.status(status),
			aws.ToString(r.PipelineExecutionId), trigger(r.Trigger), orDash(commit), orDash(truncate(message, 50)),
			ago(r.StartTime, now), span(r.StartTime, r.LastUpdateTime, running, now))
	}
	_ = tw.Flush()
}

// trigger is how an execution started: its type, and the detail when short (a user's ARN
// is long; its last part says who).
func trigger(t *types.ExecutionTrigger) string {
	if t == nil {
		return "-"
	}
	kind := string(t.TriggerType)
	detail := aws.ToString(t.TriggerDetail)
	// A push's detail ends with its ref in parentheses ("...:app (refs/heads/main)").
	if i := strings.LastIndex(detail, " ("); i >= 0 && strings.HasSuffix(detail, ")") {
		detail = detail[i+2 : len(detail)-1]
	}
	if i := strings.LastIndexAny(detail, "/:"); i >= 0 {
		detail = detail[i+1:]
	}
	if detail == "" || len(detail) > 24 {
		return kind
	}
	return kind + " (" + detail + ")"
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
