package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"sluice"
	"sluice/artifact/diskstore"
	"sluice/engine"
	"sluice/jobqueue"
	"sluice/provider/catalog"
	"sluice/provider/commands"
	"sluice/provider/localdir"
	"sluice/runner"
	"sluice/store/sqlite"
)

func runCmd() *cobra.Command {
	var (
		source  string
		approve bool
		workers int
	)
	cmd := &cobra.Command{
		Use:   "run FILE",
		Short: "Run one pipeline file locally, without a server",
		Long: "Run the pipeline in FILE (JSON or YAML, CodePipeline's field names) once, on this machine,\n" +
			"with the same engine as the server and a temporary store. Every source action's output is\n" +
			"the content of --source. Manual approvals are asked on the terminal, or approved with\n" +
			"--approve. Exits 0 only if the execution succeeded.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			decl, err := loadDeclaration(args[0])
			if err != nil {
				return err
			}
			dir, err := filepath.Abs(source)
			if err != nil {
				return err
			}
			r := &localRun{decl: decl, source: dir, approve: approve, workers: workers,
				out: cmd.OutOrStdout(), in: bufio.NewReader(cmd.InOrStdin())}
			return r.run(cmd.Context())
		},
	}
	cmd.Flags().StringVar(&source, "source", ".", "directory whose content every source action outputs")
	cmd.Flags().BoolVar(&approve, "approve", false, "approve every manual approval without asking")
	cmd.Flags().IntVar(&workers, "workers", 4, "actions that may run at the same time")
	return cmd
}

// localRun is one `sluice run`: a throwaway store and the server's engine and workers.
type localRun struct {
	decl    *sluice.PipelineDeclaration
	source  string
	approve bool
	workers int
	out     io.Writer
	in      *bufio.Reader
	changes chan *sluice.Plan
}

func (r *localRun) run(ctx context.Context) error {
	tmp, err := os.MkdirTemp("", "sluice-run-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	db, err := sqlite.Open(filepath.Join(tmp, "sluice.db"))
	if err != nil {
		return err
	}
	defer db.Close()
	eng, pool, err := r.wire(db, tmp)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer func() { cancel(); pool.Wait() }()
	pool.Start(ctx)
	timers := engine.NewTimers(eng)
	go timers.Run(ctx)
	if _, err := eng.CreatePipeline(ctx, *r.decl, nil, "sluice run"); err != nil {
		return err
	}
	fmt.Fprintf(r.out, "Running pipeline %s\n", r.decl.Name)
	return r.watch(ctx, eng)
}

func (r *localRun) wire(db *sqlite.DB, tmp string) (*engine.Engine, *jobqueue.Pool, error) {
	artifacts, err := diskstore.New(filepath.Join(tmp, "artifacts"))
	if err != nil {
		return nil, nil, err
	}
	providers := []sluice.Provider{&commands.Provider{}, &localdir.Provider{Dir: r.source, Sources: localdir.SourceTypes(r.decl)}}
	pm, err := runner.ProviderMap(providers...)
	if err != nil {
		return nil, nil, err
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	r.changes = make(chan *sluice.Plan, 1024)
	queue := &jobqueue.Queue{Store: db, Clock: systemClock{}, Lease: time.Minute}
	eng := &engine.Engine{Store: db, Clock: systemClock{}, IDs: uuids{}, Account: "000000000000", Region: "local",
		Lookup: catalog.With(), Log: log}
	pool := &jobqueue.Pool{Queue: queue, Size: r.workers, Log: log, Report: eng.ReportJob, Worker: "local:run",
		Types: typeIDs(providers), Runner: &runner.Runner{Artifacts: artifacts, Providers: pm,
			WorkRoot: filepath.Join(tmp, "work"), Logs: echoSink{r.out}}}
	eng.Applied = func(p *sluice.Plan) {
		for _, c := range p.Jobs {
			if c.Insert {
				queue.Wake()
			}
		}
		r.changes <- p
	}
	return eng, pool, nil
}

// watch prints every finished stage and action and answers approvals until the execution ends.
func (r *localRun) watch(ctx context.Context, eng *engine.Engine) error {
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case p := <-r.changes:
			if done, ok := r.report(ctx, eng, p); done {
				if ok {
					return nil
				}
				return exitCode(1)
			}
		}
	}
}

func (r *localRun) report(ctx context.Context, eng *engine.Engine, p *sluice.Plan) (done, ok bool) {
	for _, c := range p.ActionRuns {
		a := c.Row
		switch {
		case a.Status == sluice.ActionInProgress && a.Token != "" && c.Insert:
			go r.answer(ctx, eng, a)
		case a.Status != sluice.ActionInProgress:
			fmt.Fprintf(r.out, "  %-9s %s/%s (%s)%s\n", a.Status, a.StageName, a.ActionName,
				a.LastUpdateTime.Sub(a.StartTime).Round(time.Millisecond), detail(a))
		}
	}
	for _, c := range p.StageRuns {
		if s := c.Row.Status; s != sluice.StageInProgress && s != sluice.StageStopping {
			fmt.Fprintf(r.out, "Stage %s %s\n", c.Row.StageName, s)
		}
	}
	for _, c := range p.Executions {
		if e := c.Row; !e.Status.Active() {
			fmt.Fprintf(r.out, "Pipeline %s %s\n", e.PipelineName, e.Status)
			return true, e.Status == sluice.ExecutionSucceeded
		}
	}
	return false, false
}

func detail(a *sluice.ActionRun) string {
	if a.ErrorMessage != "" {
		return ": " + a.ErrorMessage
	}
	return ""
}

// answer approves or rejects a manual approval, asking on the terminal unless --approve.
func (r *localRun) answer(ctx context.Context, eng *engine.Engine, a *sluice.ActionRun) {
	approved := r.approve
	if !approved {
		fmt.Fprintf(r.out, "Approve %s/%s? [y/N] ", a.StageName, a.ActionName)
		line, _ := r.in.ReadString('\n')
		approved = strings.HasPrefix(strings.ToLower(strings.TrimSpace(line)), "y")
	}
	err := eng.Approve(ctx, r.decl.Name, engine.Approve{Stage: a.StageName, Action: a.ActionName, Token: a.Token,
		Approved: approved, Summary: "answered on the terminal", By: "sluice run"})
	if err != nil {
		fmt.Fprintf(r.out, "answer approval: %v\n", err)
	}
}

// echoSink discards action logs (the local run prints results, not logs).
type echoSink struct{ w io.Writer }

func (echoSink) Open(context.Context, string) (io.WriteCloser, error) { return nopCloser{io.Discard}, nil }

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }
