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

// watchOptions are the flags of `sluice watch`.
type watchOptions struct {
	execution string
	interval  time.Duration
	serverTarget
}

func watchCmd() *cobra.Command {
	o := watchOptions{interval: 1500 * time.Millisecond, serverTarget: defaultTarget()}
	cmd := &cobra.Command{
		Use:   "watch PIPELINE",
		Short: "Follow an execution to its end, redrawing its stages as they change",
		Long: "Draw PIPELINE's stages as `sluice status` does and keep them current until the execution\n" +
			"ends: the latest execution, or --execution's. On a terminal the drawing is redrawn in place;\n" +
			"otherwise (a pipe, a CI log) each change is printed once, as a line with its time.\n\n" +
			"The exit status is 0 when the execution Succeeded, 1 when it Failed, was Stopped or was\n" +
			"Superseded, naming the actions that failed.\n\n" +
			"The server is --endpoint-url, else AWS_ENDPOINT_URL; requests are signed as `sluice logs`\n" +
			"signs them.",
		Example: "  git push origin HEAD:main && sluice watch app\n" +
			"  sluice watch app --execution 8d1b2c7e-... > watch.log",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cp, _, err := o.pipelineClient(cmd.Flags())
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			w := &watcher{cp: cp, pipeline: args[0], execution: o.execution, endpoint: o.endpoint,
				out: out, p: paletteFor(out), live: paletteFor(out).on || isTerminalWriter(out), interval: o.interval}
			return w.run(cmd.Context())
		},
	}
	cmd.Flags().StringVar(&o.execution, "execution", "", "pipeline execution id (default: the latest execution)")
	cmd.Flags().DurationVar(&o.interval, "interval", o.interval, "how often to ask the server")
	o.addFlags(cmd.Flags())
	return cmd
}

// watcher polls one execution's board until the execution ends.
type watcher struct {
	cp                            *codepipeline.Client
	pipeline, execution, endpoint string
	out                           io.Writer
	p                             palette
	live                          bool // redraw in place (a terminal) rather than print changes
	interval                      time.Duration
	drawn                         int               // lines of the last drawing, to redraw over them
	seen                          map[string]string // what was last printed per stage and action
}

func (w *watcher) run(ctx context.Context) error {
	if w.execution == "" {
		id, err := latestExecution(ctx, w.cp, w.pipeline)
		if err != nil {
			return apiMessage(err)
		}
		if id == "" {
			return fmt.Errorf("pipeline %s has no executions yet", w.pipeline)
		}
		w.execution = id
	}
	tick := time.NewTicker(w.interval)
	defer tick.Stop()
	for {
		b, err := loadBoard(ctx, w.cp, w.pipeline, w.execution)
		if err != nil {
			if ctx.Err() != nil {
				return nil // interrupted
			}
			return apiMessage(err)
		}
		b.Endpoint = w.endpoint
		w.show(b)
		if b.ExecutionEnded {
			return w.result(b)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
	}
}

// show redraws the board on a terminal, else prints what changed since the last look.
func (w *watcher) show(b *board) {
	if w.live {
		if w.drawn > 0 {
			fmt.Fprintf(w.out, "\x1b[%dA\x1b[J", w.drawn)
		}
		text := strings.Join(b.draw(w.p, time.Now()), "\n")
		fmt.Fprintln(w.out, text)
		w.drawn = strings.Count(text, "\n") + 1
		return
	}
	if w.seen == nil {
		w.seen = map[string]string{}
		fmt.Fprintf(w.out, "Watching execution %s of %s\n", b.Execution, b.Pipeline)
	}
	for _, line := range w.changes(b) {
		fmt.Fprintf(w.out, "%s %s\n", time.Now().Format("15:04:05"), line)
	}
}

// changes are the lines for what changed in b since the last call: stages and actions
// whose status changed, approvals newly waiting, and the execution's end.
func (w *watcher) changes(b *board) []string {
	var out []string
	note := func(key, value, line string) {
		if value != "" && w.seen[key] != value {
			w.seen[key] = value
			out = append(out, line)
		}
	}
	for _, s := range b.Stages {
		for _, a := range s.Actions {
			took := ""
			if a.Status != "InProgress" && a.Start != nil {
				took = " (" + span(a.Start, a.End, false, time.Now()) + ")"
			}
			summary := ""
			if a.Summary != "" && a.Status != "InProgress" {
				summary = ": " + a.Summary
			}
			note(s.Name+"/"+a.Name, a.Status, fmt.Sprintf("%s/%s %s%s%s", s.Name, a.Name, a.Status, took, summary))
			if a.Token != "" {
				note(s.Name+"/"+a.Name+" token", a.Token, "waiting for approval: "+b.approveCommand(s.Name, a.Name, a.Token))
			}
		}
		note(s.Name, s.Status, fmt.Sprintf("stage %s %s", s.Name, s.Status))
	}
	if b.ExecutionEnded {
		note("", b.Status, fmt.Sprintf("execution %s %s", b.Execution, b.Status))
	}
	return out
}

// result is the command's outcome: nil when the execution Succeeded, else an error naming
// how it ended and the actions that failed.
func (w *watcher) result(b *board) error {
	if b.Status == "Succeeded" {
		return nil
	}
	msg := fmt.Sprintf("execution %s of %s %s", b.Execution, b.Pipeline, b.Status)
	if failed := b.failed(); len(failed) > 0 {
		msg += ": failed action " + strings.Join(failed, ", ")
	}
	if b.Summary != "" {
		msg += " (" + b.Summary + ")"
	}
	return fmt.Errorf("%s", msg)
}

// isTerminalWriter reports whether w is a terminal (NO_COLOR turns colours off, not the
// redrawing).
func isTerminalWriter(w io.Writer) bool {
	r, ok := w.(io.Reader)
	return ok && isTerminal(r)
}
