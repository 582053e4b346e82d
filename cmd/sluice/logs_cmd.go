package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/aws/smithy-go"
	"github.com/spf13/cobra"

	"sluice/client"
	"sluice/logclient"
)

// logsOptions are the flags of `sluice logs`.
type logsOptions struct {
	execution, action string
	follow            bool
	serverTarget
}

func logsCmd() *cobra.Command {
	o := logsOptions{serverTarget: defaultTarget()}
	cmd := &cobra.Command{
		Use:   "logs PIPELINE",
		Short: "Print or follow the log of an action execution",
		Long: "Print the log of one action execution of PIPELINE as the server keeps it (secret values masked,\n" +
			"the oldest part of a very long log dropped with a marker).\n\n" +
			"Without --execution it reads the latest pipeline execution. Without --action it reads the\n" +
			"action running now (the one that started last when several run), else the last that\n" +
			"failed, else the one that ran last; manual approvals have no log and are never picked.\n" +
			"With --follow it prints the log as the action writes it and returns when the action ends,\n" +
			"with exit status 1 when the action did not succeed.\n\n" +
			"With --execution and --follow but no --action it follows the whole execution: the log of\n" +
			"every action as the execution reaches it, each line prefixed with the time it arrived and\n" +
			"STAGE/ACTION, until the execution ends (exit status 1 unless it succeeded).\n\n" +
			"The server is --endpoint-url, else AWS_ENDPOINT_URL. Requests are signed with AWS_ACCESS_KEY_ID and\n" +
			"AWS_SECRET_ACCESS_KEY when both are set and --data-dir is not given, else with the root key\n" +
			"the server generated in --data-dir (env SLUICE_DATA_DIR). The log itself is at\n" +
			"GET /v1/logs/PIPELINE/ACTION-EXECUTION-ID, the externalExecutionUrl that\n" +
			"`aws codepipeline list-action-executions` shows.",
		Example: "  sluice logs app --follow\n" +
			"  sluice logs app --execution 8d1b2c7e-... --follow     # every action of the execution\n" +
			"  sluice logs app --action Build/Compile --execution 8d1b2c7e-...\n" +
			"  sluice logs app --endpoint-url http://ci.internal:7080 --data-dir /var/lib/sluice",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			creds, err := o.credentials(cmd.Flags())
			if err != nil {
				return err
			}
			if o.follow && o.execution != "" && o.action == "" {
				return followExecution(cmd.Context(), cmd.OutOrStdout(), cmd.ErrOrStderr(), args[0], o, creds)
			}
			return runLogs(cmd.Context(), cmd.OutOrStdout(), cmd.ErrOrStderr(), args[0], o, creds)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.execution, "execution", "", "pipeline execution id (default: the latest execution)")
	f.StringVar(&o.action, "action", "", "action name, or STAGE/ACTION (default: the action running now, else the last that ran)")
	f.BoolVarP(&o.follow, "follow", "f", false, "keep printing the log as it grows until the action ends")
	o.addFlags(f)
	return cmd
}

func runLogs(ctx context.Context, out, errOut io.Writer, pipeline string, o logsOptions, provider aws.CredentialsProvider) error {
	region := clientRegion()
	cp := pipelineClientOf(o.endpoint, provider)
	target, err := pickAction(ctx, cp, pipeline, o.execution, o.action)
	if err != nil {
		return apiMessage(err)
	}
	fmt.Fprintf(errOut, "==> %s/%s (%s), action execution %s of pipeline execution %s\n",
		aws.ToString(target.StageName), aws.ToString(target.ActionName), target.Status,
		aws.ToString(target.ActionExecutionId), aws.ToString(target.PipelineExecutionId))
	client := &logclient.Client{BaseURL: o.endpoint, Credentials: provider, Region: region}
	log, err := client.Open(ctx, logclient.ReadParams{Pipeline: pipeline,
		ActionExecutionID: aws.ToString(target.ActionExecutionId), Follow: o.follow})
	if err != nil {
		return err
	}
	defer log.Close()
	if _, err := io.Copy(out, log); err != nil {
		if ctx.Err() != nil {
			return nil // interrupted
		}
		return fmt.Errorf("reading the log: %w", err)
	}
	if !o.follow {
		return nil
	}
	_, status, ok := log.End()
	if !ok || status == "InProgress" {
		return errors.New("the log stream ended before the action did (did the server stop?); run the command again to see the rest")
	}
	fmt.Fprintf(errOut, "==> %s/%s %s\n", aws.ToString(target.StageName), aws.ToString(target.ActionName), status)
	if status != string(types.ActionExecutionStatusSucceeded) {
		return exitCode(1) // the status line above says why
	}
	return nil
}

// pipelineClientOf is the CodePipeline client `sluice logs` reads the executions with.
func pipelineClientOf(endpoint string, provider aws.CredentialsProvider) *codepipeline.Client {
	return codepipeline.NewFromConfig(aws.Config{Region: clientRegion(), Credentials: provider},
		func(opts *codepipeline.Options) {
			opts.BaseEndpoint, opts.Retryer = aws.String(endpoint), client.Retryer()
		})
}

// apiMessage shortens an API error to the server's message, which names what is wrong.
func apiMessage(err error) error {
	var (
		ae smithy.APIError
		ce *client.APIError
	)
	switch {
	case errors.As(err, &ae):
		return fmt.Errorf("%s: %s", ae.ErrorCode(), ae.ErrorMessage())
	case errors.As(err, &ce):
		return fmt.Errorf("%s: %s", ce.Type, ce.Message)
	}
	return err
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}
