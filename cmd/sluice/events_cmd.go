package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/spf13/cobra"

	"sluice/logclient"
)

// eventsOptions are the flags of `sluice events`.
type eventsOptions struct {
	pipeline string
	types    []string
	after    int64
	follow   bool
	asJSON   bool
	serverTarget
}

func eventsCmd() *cobra.Command {
	o := eventsOptions{serverTarget: defaultTarget(), after: -1}
	cmd := &cobra.Command{
		Use:   "events",
		Short: "Print or follow the server's events (pipeline, stage and action state changes)",
		Long: "Print the events the server emitted, one line each: the time, the pipeline, the execution,\n" +
			"the stage and action, the level and the state, and for a failed action its error code and summary.\n" +
			"They are CodePipeline's EventBridge events (and Sluice's own: approvals needed, scheduled\n" +
			"rules); --json prints each event's JSON instead, as rules and notification targets receive it.\n\n" +
			"Without --follow it prints the events the server keeps (--event-retention, a day by default)\n" +
			"and returns. With --follow it prints the events that happen from now on until interrupted,\n" +
			"reconnecting and resuming where it stopped when the server restarts; --after ID replays from\n" +
			"the event after ID (the number in the first column of --json's id line, or 0 for all kept).\n\n" +
			"The server is --endpoint-url, else AWS_ENDPOINT_URL; requests are signed as `sluice logs`\n" +
			"signs them, and show only the events of pipelines the key may read (sluice:GetEvents).\n" +
			"The stream itself is GET /v1/events, Server-Sent Events.",
		Example: "  sluice events --follow\n" +
			"  sluice events --follow --pipeline app\n" +
			"  sluice events --type 'CodePipeline Pipeline Execution State Change'\n" +
			"  sluice events --json --after 0 | jq .detail.state",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			creds, err := o.credentials(cmd.Flags())
			if err != nil {
				return err
			}
			return runEvents(cmd.Context(), cmd.OutOrStdout(), cmd.ErrOrStderr(), o, creds)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.pipeline, "pipeline", "", "only the events of this pipeline")
	f.StringArrayVar(&o.types, "type", nil, "only events of this detail type (repeatable)")
	f.Int64Var(&o.after, "after", -1, "start after this event id (0: every event kept); default: all kept, or from now with --follow")
	f.BoolVarP(&o.follow, "follow", "f", false, "keep printing events as they happen")
	f.BoolVar(&o.asJSON, "json", false, "print each event's JSON (one per line) instead of a summary")
	o.addFlags(f)
	return cmd
}

// reconnectDelay is how long --follow waits before it connects again.
const reconnectDelay = time.Second

func runEvents(ctx context.Context, out, errOut io.Writer, o eventsOptions, provider aws.CredentialsProvider) error {
	client := &logclient.Client{BaseURL: o.endpoint, Credentials: provider, Region: clientRegion()}
	p := logclient.EventsParams{Pipeline: o.pipeline, Types: o.types, After: o.after, Follow: o.follow}
	if p.After < 0 && !o.follow {
		p.After = 0
	}
	print := func(ev logclient.StreamEvent) error {
		if o.asJSON {
			_, err := fmt.Fprintln(out, ev.Data)
			return err
		}
		_, err := fmt.Fprintln(out, eventLine(ev))
		return err
	}
	for {
		last, err := client.Events(ctx, p, print)
		switch {
		case ctx.Err() != nil:
			return nil
		case !o.follow:
			return explainEvents(err)
		case err != nil && !retryable(err):
			return explainEvents(err)
		}
		// The stream ended (a restart, a network hiccup): resume after what was printed.
		if last >= 0 {
			p.After = last
		}
		if err != nil {
			fmt.Fprintf(errOut, "sluice events: %v; reconnecting\n", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(reconnectDelay):
		}
	}
}

// retryable says whether following should reconnect after err: not when the server refused
// the request itself.
func retryable(err error) bool {
	var le *logclient.Error
	return !errors.As(err, &le) || le.StatusCode >= 500
}

func explainEvents(err error) error {
	var le *logclient.Error
	if errors.As(err, &le) {
		return fmt.Errorf("events: %s (HTTP %d)", le.Message, le.StatusCode)
	}
	return err
}

// eventLine is an event's one-line summary.
func eventLine(ev logclient.StreamEvent) string {
	var e struct {
		Time       string `json:"time"`
		DetailType string `json:"detail-type"`
		Resources  []string
		Detail     struct {
			Pipeline    string `json:"pipeline"`
			ExecutionID string `json:"execution-id"`
			Stage       string `json:"stage"`
			Action      string `json:"action"`
			State       string `json:"state"`
			Result      struct {
				Summary   string `json:"external-execution-summary"`
				ErrorCode string `json:"error-code"`
			} `json:"execution-result"`
		} `json:"detail"`
	}
	if err := json.Unmarshal([]byte(ev.Data), &e); err != nil {
		return fmt.Sprintf("%d  %s", ev.ID, ev.Data)
	}
	d := e.Detail
	where := d.Stage
	if d.Action != "" {
		where += "/" + d.Action
	}
	level := strings.TrimSuffix(strings.TrimPrefix(e.DetailType, "CodePipeline "), " Execution State Change")
	line := fmt.Sprintf("%s  %-20s %-8s %-24s %-10s %s", e.Time, or(d.Pipeline, "-"), short(d.ExecutionID), or(where, "-"), level, d.State)
	if d.Result.ErrorCode != "" {
		line += "  " + d.Result.ErrorCode + ": " + firstLine(d.Result.Summary)
	}
	return line
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func short(id string) string {
	if len(id) > 8 {
		return id[:8]
	}
	return or(id, "-")
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}
