package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"sluice"
	"sluice/artifact/s3store"
	"sluice/config"
	"sluice/engine"
	"sluice/jobqueue"
	"sluice/node"
	"sluice/provider/codebuild"
	"sluice/provider/commands"
	"sluice/provider/localdir"
	"sluice/provider/s3deploy"
	"sluice/sandbox"
	"sluice/sealbox"
	"sluice/validate"
)

// Exit statuses of `sluice run` besides 0 (the execution succeeded).
const (
	exitFailed      exitCode = 1   // the execution failed, was stopped or was rejected
	exitInterrupted exitCode = 130 // Ctrl-C or SIGTERM, as a shell reports SIGINT
)

func runCmd() *cobra.Command {
	var opts runOptions
	cmd := &cobra.Command{
		Use:   "run FILE",
		Short: "Run one pipeline file locally, without a server",
		Long: "Run the pipeline in FILE (JSON or YAML, CodePipeline's field names, wrapped in {\"pipeline\": ...}\n" +
			"as get-pipeline prints it or not) once, on this machine, with the same engine as the server and\n" +
			"a temporary store that is removed afterwards.\n\n" +
			"Every source action's output artifact is the content of --source; its output variables\n" +
			"(CommitId, CommitMessage, BranchName, ...) come from the git checkout --source is in, if any.\n" +
			"Commands, CodeBuild and S3 deploy actions run here (S3 deploys read SLUICE_S3_ENDPOINT,\n" +
			"SLUICE_S3_REGION, SLUICE_S3_PATH_STYLE and the AWS settings); an action of a type Sluice\n" +
			"cannot run locally fails, naming it. A CodeBuild action's ProjectName is looked up in the\n" +
			"--project files (the JSON\n" +
			"`aws codebuild create-project --cli-input-json` takes); a project not given runs with\n" +
			"CodeBuild's defaults: buildspec.yml, no variables, a 60-minute timeout.\n" +
			"Each action's output is printed as it runs, every line prefixed with \"stage/action | \", and\n" +
			"each action and stage as it finishes. Manual approvals are asked on the terminal (y approves,\n" +
			"anything else rejects), or approved with --approve.\n\n" +
			"Exit status: 0 if the execution succeeded, 1 if it failed or was rejected (and for an\n" +
			"invalid pipeline file), 130 when interrupted (Ctrl-C): running commands are killed first.",
		Example: "  sluice run examples/app-pipeline.json --source path/to/checkout --approve\n" +
			"  sluice run pipeline.yaml --source . --workers 2\n" +
			"  sluice run pipeline.json --project build-project.json",
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 1 {
				return fmt.Errorf("run takes one pipeline file, got %d arguments: sluice run FILE [--source DIR] [--approve]", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			r, err := opts.localRun(args[0], cmd.OutOrStdout(), cmd.InOrStdin())
			if err != nil {
				return err
			}
			return r.run(cmd.Context())
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.source, "source", ".", "directory whose content every source action outputs")
	f.BoolVar(&opts.approve, "approve", false, "approve every manual approval without asking")
	f.IntVar(&opts.workers, "workers", 4, "actions that may run at the same time")
	f.StringVar(&opts.region, "region", validate.DefaultRegion, "the pipeline's region, for artifactStores and action regions")
	f.StringArrayVar(&opts.vars, "variable", nil, "NAME=VALUE for a pipeline variable (#{variables.NAME}); repeat for more")
	f.StringArrayVar(&opts.projectFiles, "project", nil, "a CodeBuild project file (create-project's --cli-input-json); repeat for more")
	f.StringVar(&opts.sandbox, "sandbox", envOr("SLUICE_SANDBOX", sandbox.ModeBwrap), `how actions' code is isolated: "bwrap" or "off", as for the server (env SLUICE_SANDBOX)`)
	f.StringArrayVar(&opts.actionEnv, "action-env", envList("SLUICE_ACTION_ENV"), "NAME=VALUE, or NAME for this process's value: a variable added to every action's environment; repeat for more (env SLUICE_ACTION_ENV)")
	return cmd
}

type runOptions struct {
	source  string
	approve bool
	workers int
	region  string
	vars    []string // NAME=VALUE overrides of the pipeline's variables
	s3      s3store.Config

	projectFiles []string
	projects     codebuild.ProjectMap // read from projectFiles

	sandbox   string   // --sandbox
	actionEnv []string // --action-env
}

// localRun checks the options and the file and prepares the run.
func (o runOptions) localRun(file string, out io.Writer, in io.Reader) (*localRun, error) {
	decl, err := loadDeclaration(file)
	if err != nil {
		return nil, err
	}
	if st, err := os.Stat(o.source); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("--source %s is not a directory", o.source)
	}
	if o.source, err = filepath.Abs(o.source); err != nil {
		return nil, err
	}
	if o.workers < 1 {
		return nil, fmt.Errorf("--workers must be at least 1, not %d", o.workers)
	}
	if err := overrideVariables(decl, o.vars); err != nil {
		return nil, err
	}
	// S3 deploys reach buckets with the server's SLUICE_S3_* settings (and the AWS ones).
	env, err := config.Defaults().FromEnv(os.Getenv)
	if err != nil {
		return nil, err
	}
	o.s3 = env.S3Client()
	if o.projects, err = loadProjects(o.projectFiles, o.region, time.Now()); err != nil {
		return nil, err
	}
	return &localRun{runOptions: o, decl: decl, file: file, term: &terminal{w: out}, in: in, inTTY: isTerminal(in),
		changes: make(chan *sluice.Plan, 1024), done: make(chan struct{})}, nil
}

// isTerminal reports whether r is a terminal, which echoes what the user types.
func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// localRun is one `sluice run`: a throwaway store and the server's engine and workers.
type localRun struct {
	runOptions
	decl   *sluice.PipelineDeclaration
	file   string
	term   *terminal
	in     io.Reader
	inTTY  bool       // in is a terminal, which echoes the answers itself
	asking sync.Mutex // held while an approval is described and answered

	linesOnce sync.Once
	lines     chan string    // the input's lines, for ask
	answering sync.WaitGroup // answer goroutines

	changes chan *sluice.Plan // every committed plan, for watch
	done    chan struct{}     // closed when run returns: later plans are dropped
}

func (r *localRun) run(ctx context.Context) error {
	tmp, err := os.MkdirTemp("", "sluice-run-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	n, err := node.New(ctx, r.config(tmp), r.options())
	if err != nil {
		return err
	}
	eng := n.Engine
	ctx, cancel := context.WithCancel(ctx)
	// stop ends the approval answers in flight, then the node: its workers (killing the
	// commands still running) and timers; every plan they committed is in r.changes
	// afterwards.
	stop := sync.OnceFunc(func() {
		cancel()
		r.answering.Wait()
		_ = n.Close()
	})
	defer func() {
		close(r.done)
		stop()
	}()
	if _, err := eng.CreatePipeline(ctx, *r.decl, nil, "sluice run"); err != nil {
		return fmt.Errorf("%s: %w", r.file, err)
	}
	r.term.printf("Running pipeline %s\n", r.decl.Name)
	final := r.watch(ctx, eng)
	if final == nil {
		r.term.printf("Interrupted: stopping pipeline %s\n", r.decl.Name)
		return exitInterrupted
	}
	// A plan committed just before the last one may still be on its way: print it too.
	stop()
	r.drain(ctx, eng)
	r.term.printf("Pipeline %s %s\n", final.PipelineName, final.Status)
	if final.Status != sluice.ExecutionSucceeded {
		return exitFailed
	}
	return nil
}

// config is the server's configuration on a throwaway data directory, without polling.
func (r *localRun) config(tmp string) config.Server {
	cfg := config.Defaults()
	cfg.DataDir, cfg.Workers, cfg.Region, cfg.Account = tmp, r.workers, r.region, localAccount
	cfg.PollInterval, cfg.Lease = 0, time.Minute
	// The throwaway store's secrets need a key no longer than it lives: none on disk.
	cfg.EncryptionKey = sealbox.Format(sealbox.NewKey())
	cfg.Sandbox, cfg.ActionEnv = r.sandbox, r.actionEnv
	return cfg
}

// options are the adapters of a local run: sources from --source and the action types that
// need nothing of a server, logs on the terminal, no HTTP.
func (r *localRun) options() node.Options {
	build := &codebuild.Provider{Region: r.region, Projects: r.projects, AllowUndefinedProjects: true}
	providers := []sluice.Provider{&commands.Provider{Region: r.region}, build, &s3deploy.Provider{S3: r.s3},
		&localdir.Provider{Dir: r.source, Sources: localdir.SourceTypes(r.decl)}}
	sink := &terminalSink{term: r.term, names: map[string]string{}}
	return node.Options{Log: slog.New(slog.DiscardHandler), NoHTTP: true, Providers: providers, ActionLogs: sink,
		WrapRunner: func(run jobqueue.Runner) jobqueue.Runner { return namingRunner{run: run, sink: sink} },
		OnApplied: func(p *sluice.Plan) {
			select {
			case r.changes <- p:
			case <-r.done:
			}
		}}
}

// watch prints every finished stage and action and answers approvals until the execution
// ends, and returns it; nil means ctx ended first (Ctrl-C).
func (r *localRun) watch(ctx context.Context, eng *engine.Engine) *sluice.Execution {
	for {
		select {
		case <-ctx.Done():
			return nil
		case p := <-r.changes:
			if final := r.report(ctx, eng, p); final != nil {
				return final
			}
		}
	}
}

// drain reports the plans already committed.
func (r *localRun) drain(ctx context.Context, eng *engine.Engine) {
	for {
		select {
		case p := <-r.changes:
			r.report(ctx, eng, p)
		default:
			return
		}
	}
}

// report prints the actions and stages a plan finished and returns the execution when the
// plan ended it.
func (r *localRun) report(ctx context.Context, eng *engine.Engine, p *sluice.Plan) *sluice.Execution {
	var approvals []*sluice.ActionRun
	// Questions are asked after the plan's own lines, so none lands between a question and
	// its answer.
	defer func() {
		for _, a := range approvals {
			r.answering.Add(1)
			go r.answer(ctx, eng, a)
		}
	}()
	for _, c := range p.ActionRuns {
		a := c.Row
		switch {
		case a.Status == sluice.ActionInProgress && a.Token != "" && c.Insert:
			approvals = append(approvals, a)
		case a.Status != sluice.ActionInProgress:
			r.term.printf("  %-9s %s/%s (%s)%s\n", a.Status, a.StageName, a.ActionName,
				a.LastUpdateTime.Sub(a.StartTime).Round(time.Millisecond), detail(a))
		}
	}
	for _, c := range p.StageRuns {
		if s := c.Row.Status; s != sluice.StageInProgress && s != sluice.StageStopping {
			r.term.printf("Stage %s %s\n", c.Row.StageName, s)
		}
	}
	for _, c := range p.Executions {
		if !c.Row.Status.Active() {
			return c.Row
		}
	}
	return nil
}

// detail is an action's error message, its first line after a colon and the rest (the end
// of the action's output) indented beneath.
func detail(a *sluice.ActionRun) string {
	if a.ErrorMessage == "" {
		return ""
	}
	msg := strings.TrimRight(a.ErrorMessage, "\n")
	return ": " + strings.ReplaceAll(msg, "\n", "\n      ")
}

// answer approves or rejects a manual approval, asking on the terminal unless --approve.
func (r *localRun) answer(ctx context.Context, eng *engine.Engine, a *sluice.ActionRun) {
	defer r.answering.Done()
	r.asking.Lock() // one approval question at a time
	approved, summary, ok := true, "approved with --approve", true
	r.describe(a)
	if r.approve {
		r.term.printf("%s/%s | Approved (--approve)\n", a.StageName, a.ActionName)
	} else {
		approved, summary, ok = r.ask(ctx, a)
	}
	r.asking.Unlock()
	if !ok {
		return
	}
	err := eng.Approve(ctx, r.decl.Name, engine.Approve{Stage: a.StageName, Action: a.ActionName, Token: a.Token,
		Approved: approved, Summary: summary, By: "sluice run"})
	if err != nil && ctx.Err() == nil {
		r.term.printf("answer approval %s/%s: %v\n", a.StageName, a.ActionName, err)
	}
}

// describe prints what the approval asks to review.
func (r *localRun) describe(a *sluice.ActionRun) {
	cfg := a.ResolvedConfiguration
	if s := cfg["CustomData"]; s != "" {
		r.term.printf("%s/%s | %s\n", a.StageName, a.ActionName, s)
	}
	if s := cfg["ExternalEntityLink"]; s != "" {
		r.term.printf("%s/%s | Review: %s\n", a.StageName, a.ActionName, s)
	}
}

// ask asks on the terminal; "y" or "yes" approves, anything else (end of input too)
// rejects. ok is false when ctx ended before an answer came.
func (r *localRun) ask(ctx context.Context, a *sluice.ActionRun) (approved bool, summary string, ok bool) {
	r.term.prompt(fmt.Sprintf("Approve %s/%s? [y/N] ", a.StageName, a.ActionName))
	var (
		line string
		more bool
	)
	select {
	case <-ctx.Done():
		return false, "", false
	case line, more = <-r.inputLines():
	}
	answer := strings.TrimSpace(line)
	switch {
	case !more:
		r.term.answered("no answer (end of input)\n")
		return false, "no answer on the terminal", true
	case r.inTTY:
		r.term.answered("") // the user's Enter ended the line
	default:
		r.term.answered(answer + "\n") // echo what a pipe answered, for a readable transcript
	}
	switch strings.ToLower(answer) {
	case "y", "yes":
		return true, "approved on the terminal", true
	}
	return false, fmt.Sprintf("answered %q on the terminal", answer), true
}

// inputLines delivers the lines of the input, one per receive, and is closed at its end.
// The reading goroutine is started on the first question and blocks until the next one.
func (r *localRun) inputLines() <-chan string {
	r.linesOnce.Do(func() {
		r.lines = make(chan string)
		in := bufio.NewReader(r.in)
		go func() {
			defer close(r.lines)
			for {
				line, err := in.ReadString('\n')
				if line != "" {
					r.lines <- line
				}
				if err != nil {
					return
				}
			}
		}()
	})
	return r.lines
}

// overrideVariables sets the values --variable gives as the declared variables' defaults, so
// the run's one execution starts with them, as StartPipelineExecution's variables would.
func overrideVariables(d *sluice.PipelineDeclaration, vars []string) error {
	for _, kv := range vars {
		name, value, ok := strings.Cut(kv, "=")
		if !ok || name == "" {
			return fmt.Errorf("--variable %q: want NAME=VALUE", kv)
		}
		i := slices.IndexFunc(d.Variables, func(v sluice.PipelineVariableDeclaration) bool { return v.Name == name })
		if i < 0 {
			return fmt.Errorf("--variable %s: pipeline %s declares no variable %s", name, d.Name, name)
		}
		d.Variables[i].DefaultValue = &value
	}
	return nil
}
