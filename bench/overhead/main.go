// Command overhead measures Sluice's per-action overhead: it starts a real server, runs
// pipelines of 10 and 50 sequential Commands actions that run `true`, takes the slope of
// execution time over action count from the executions' own timestamps, and compares it with
// the cost of spawning `sh -c true` measured in the same run. It does so twice: with the
// actions run by the server's in-process workers, then pinned (WorkerLabel) to a `sluice
// worker` process on the same machine, which reaches the server over HTTP.
//
//	go run ./bench/overhead [-runs 5] [-compare COMMIT] [-database postgres://...] [-sandbox off]
//
// With -compare it measures a commit's build too, in the same run, and prints this tree's
// per-action times over the commit's. With -database the servers keep their state in a
// PostgreSQL database of their own, which the bench creates on that server (through the
// URL's database) and drops at the end. Beside the spawn of `sh -c true` it times the spawn
// of `sh -c true` in the sandbox the actions run in (bubblewrap, unless -sandbox off), so
// the report separates what the sandbox costs from what Sluice does around it.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/codecommit"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"

	"sluice"
	"sluice/bench/internal/benchserver"
	"sluice/sandbox"
)

var workDir, database, sandboxMode string

func main() {
	runs := flag.Int("runs", 5, "executions per pipeline size (the median is used)")
	spawns := flag.Int("spawns", 300, "spawns of sh -c true to time")
	compare := flag.String("compare", "", "a git commit to measure too, in the same run, after this tree (e.g. HEAD~3)")
	flag.StringVar(&workDir, "work-dir", "", "the server's --work-dir for action workspaces (default: inside its data directory)")
	flag.StringVar(&database, "database", "", "a PostgreSQL URL (postgres://postgres@127.0.0.1:5432/test): each server gets a new database there, dropped at the end; empty: SQLite")
	flag.StringVar(&sandboxMode, "sandbox", sandbox.ModeBwrap, "the servers' and workers' --sandbox (bwrap or off)")
	flag.Parse()
	if err := run(*runs, *spawns, *compare); err != nil {
		fmt.Fprintln(os.Stderr, "overhead:", err)
		os.Exit(1)
	}
}

// build is one sluice binary to measure: this tree's, or a commit's.
type build struct {
	name, bin string
}

func run(runs, spawns int, compare string) error {
	dir, err := os.MkdirTemp("", "sluice-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if err := os.Chmod(dir, 0o711); err != nil { // see start
		return err
	}
	defer func() {
		for _, drop := range dropDB {
			drop()
		}
	}()
	builds, err := buildAll(dir, compare)
	if err != nil {
		return err
	}
	var targets []*target
	for _, b := range builds {
		t, err := start(b, filepath.Join(dir, b.name))
		if err != nil {
			return fmt.Errorf("%s: %w", b.name, err)
		}
		defer t.stop()
		targets = append(targets, t)
	}
	spawn := spawnCost(spawns, nil)
	fmt.Printf("spawn of sh -c true:            %v\n", spawn.Round(time.Microsecond))
	boxed, err := sandboxSpawnCost(spawns / 3)
	if err != nil {
		return err
	}
	if boxed > 0 {
		fmt.Printf("the same in the sandbox:        %v (%.2f spawns)\n", boxed.Round(time.Microsecond), float64(boxed)/float64(spawn))
	}
	slopes := map[*target][]time.Duration{}
	for _, label := range []string{"", remoteLabel} {
		per := map[*target]map[int]time.Duration{}
		for _, n := range []int{10, 50} {
			// The builds' executions alternate, so a slower minute of the machine hits both.
			ds, err := medianExecutions(context.Background(), targets, n, runs, label)
			if err != nil {
				return err
			}
			for t, d := range ds {
				if per[t] == nil {
					per[t] = map[int]time.Duration{}
				}
				per[t][n] = d
			}
		}
		for _, t := range targets {
			slopes[t] = append(slopes[t], (per[t][50]-per[t][10])/40)
		}
		report(targets, per, label, spawn, boxed)
	}
	for _, t := range targets {
		s := slopes[t]
		fmt.Printf("\n%s: remote worker cost per action %v (%.2f spawns)\n", t.name, (s[1] - s[0]).Round(time.Microsecond),
			float64(s[1]-s[0])/float64(spawn))
	}
	if len(targets) == 2 {
		now, then := slopes[targets[0]], slopes[targets[1]]
		fmt.Printf("\nthis tree / %s, per action: in-process %.2f, worker %.2f\n", compare,
			float64(now[0])/float64(then[0]), float64(now[1])/float64(then[1]))
	}
	return nil
}

func report(targets []*target, per map[*target]map[int]time.Duration, label string, spawn, boxed time.Duration) {
	where := "in-process workers"
	if label != "" {
		where = "a sluice worker process"
	}
	for _, t := range targets {
		slope := (per[t][50] - per[t][10]) / 40
		fmt.Printf("\n%s, actions run by %s\n", t.name, where)
		fmt.Printf("10 / 50 sequential actions: median execution %v / %v\n", per[t][10].Round(time.Microsecond), per[t][50].Round(time.Microsecond))
		fmt.Printf("per-action time (slope 10->50): %v\n", slope.Round(time.Microsecond))
		fmt.Printf("ratio per-action / spawn:       %.2f\n", float64(slope)/float64(spawn))
		if boxed > 0 {
			fmt.Printf("without the sandbox's cost:     %v, ratio %.2f (per action - sandboxed spawn + spawn)\n",
				(slope - boxed + spawn).Round(time.Microsecond), float64(slope-boxed+spawn)/float64(spawn))
		}
	}
}

// buildAll builds this tree's sluice and, with compare, the commit's (from a temporary git
// worktree, removed afterwards).
func buildAll(dir, compare string) ([]build, error) {
	builds := []build{{"this-tree", filepath.Join(dir, "sluice")}}
	if err := goBuild(".", builds[0].bin); err != nil {
		return nil, err
	}
	if compare == "" {
		return builds, nil
	}
	src := filepath.Join(dir, "src-compare")
	if out, err := exec.Command("git", "worktree", "add", "--detach", src, compare).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("check out %s: %v: %s", compare, err, out)
	}
	defer exec.Command("git", "worktree", "remove", "--force", src).Run()
	b := build{compare, filepath.Join(dir, "sluice-compare")}
	if err := goBuild(src, b.bin); err != nil {
		return nil, err
	}
	return append(builds, b), nil
}

func goBuild(src, bin string) error {
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/sluice")
	cmd.Dir = src
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("build (run from the repository root): %v: %s", err, out)
	}
	return nil
}

// target is one build's running server and worker, with a client.
type target struct {
	build
	cp   *codepipeline.Client
	stop func()
}

// start runs b's server and worker on dir and seeds the repository the pipelines read.
func start(b build, dir string) (*target, error) {
	// 0711 (and the temporary directory above it): the worker's sandbox user passes
	// through to its --work-dir below; `sluice worker` refuses a work directory it cannot.
	if err := os.MkdirAll(dir, 0o711); err != nil {
		return nil, err
	}
	if err := os.Chmod(dir, 0o711); err != nil { // MkdirAll's mode is cut by the umask
		return nil, err
	}
	args := []string{"--workers", "2", "--sandbox", sandboxMode}
	if database != "" {
		url, drop, err := createDatabase(database, b.name)
		if err != nil {
			return nil, err
		}
		dropDB = append(dropDB, drop) // run drops it at its end
		args = append(args, "--database", url)
	}
	if workDir != "" {
		args = append(args, "--work-dir", workDir)
	}
	srv, err := benchserver.Start(b.bin, dir, filepath.Join(dir, "data"), args...)
	if err != nil {
		return nil, err
	}
	addr, stopServer := srv.Addr, srv.Kill
	stopWorker, err := startWorker(b.bin, dir, addr)
	if err != nil {
		stopServer()
		return nil, err
	}
	t := &target{build: b, stop: func() { stopWorker(); stopServer() }}
	var cc *codecommit.Client
	t.cp, cc = clients("http://" + addr)
	if err := seedRepo(context.Background(), cc, dir, addr); err != nil {
		t.stop()
		return nil, err
	}
	return t, nil
}

// remoteLabel pins the second round's actions to the bench's `sluice worker`.
const remoteLabel = "bench-remote"

// startWorker runs `sluice worker` for the server at addr, taking only labelled actions'
// jobs in practice: the in-process workers take every unlabelled one first.
func startWorker(bin, dir, addr string) (func(), error) {
	cmd := exec.Command(bin, "worker", "--server", "http://"+addr, "--labels", remoteLabel, "--sandbox", sandboxMode,
		"--capacity", "2", "--work-dir", filepath.Join(dir, "worker"))
	if workDir != "" {
		cmd.Args[len(cmd.Args)-1] = filepath.Join(workDir, "worker")
	}
	cmd.Env = benchserver.Env()
	logf, _ := os.Create(filepath.Join(dir, "worker.log"))
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	return func() { _ = cmd.Process.Kill(); _, _ = cmd.Process.Wait() }, nil
}

func clients(url string) (*codepipeline.Client, *codecommit.Client) {
	cfg := aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider(benchserver.KeyID, benchserver.Secret, "")}
	return codepipeline.NewFromConfig(cfg, func(o *codepipeline.Options) { o.BaseEndpoint = aws.String(url) }),
		codecommit.NewFromConfig(cfg, func(o *codecommit.Options) { o.BaseEndpoint = aws.String(url) })
}

// seedRepo creates the hosted repository "bench" with one small commit on main.
func seedRepo(ctx context.Context, cc *codecommit.Client, dir, addr string) error {
	if _, err := cc.CreateRepository(ctx, &codecommit.CreateRepositoryInput{RepositoryName: aws.String("bench")}); err != nil {
		return err
	}
	if err := benchserver.SeedRepo(dir, addr, "bench"); err != nil {
		return err
	}
	return nil
}

// medianExecutions creates on every target a pipeline of n sequential `true` actions (with
// WorkerLabel label, unless "") and returns, per target, the median duration of runs
// executions, from each execution's start and last update times.
func medianExecutions(ctx context.Context, targets []*target, n, runs int, label string) (map[*target]time.Duration, error) {
	name := fmt.Sprintf("seq%d%s", n, label)
	for _, t := range targets {
		if _, err := t.cp.CreatePipeline(ctx, &codepipeline.CreatePipelineInput{Pipeline: sequential(name, n, label)}); err != nil {
			return nil, fmt.Errorf("%s: %w", t.name, err)
		}
	}
	ds := map[*target][]time.Duration{}
	for i := 0; i <= runs; i++ { // the first, started by CreatePipeline, warms up
		for _, t := range targets {
			id, err := latestExecution(ctx, t.cp, name, i)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", t.name, err)
			}
			d, err := waitDone(ctx, t.cp, name, id)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", t.name, err)
			}
			if i > 0 {
				ds[t] = append(ds[t], d)
			}
		}
	}
	out := map[*target]time.Duration{}
	for t, d := range ds {
		sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
		out[t] = d[len(d)/2]
	}
	return out, nil
}

func latestExecution(ctx context.Context, cp *codepipeline.Client, name string, i int) (string, error) {
	if i == 0 {
		out, err := cp.ListPipelineExecutions(ctx, &codepipeline.ListPipelineExecutionsInput{PipelineName: aws.String(name)})
		if err != nil || len(out.PipelineExecutionSummaries) == 0 {
			return "", fmt.Errorf("first execution of %s: %v", name, err)
		}
		return *out.PipelineExecutionSummaries[0].PipelineExecutionId, nil
	}
	out, err := cp.StartPipelineExecution(ctx, &codepipeline.StartPipelineExecutionInput{Name: aws.String(name)})
	if err != nil {
		return "", err
	}
	return *out.PipelineExecutionId, nil
}

func waitDone(ctx context.Context, cp *codepipeline.Client, name, id string) (time.Duration, error) {
	for {
		out, err := cp.ListPipelineExecutions(ctx, &codepipeline.ListPipelineExecutionsInput{PipelineName: aws.String(name)})
		if err != nil {
			return 0, err
		}
		for _, e := range out.PipelineExecutionSummaries {
			if *e.PipelineExecutionId != id {
				continue
			}
			switch e.Status {
			case types.PipelineExecutionStatusSucceeded:
				return e.LastUpdateTime.Sub(*e.StartTime), nil
			case types.PipelineExecutionStatusInProgress:
			default:
				return 0, fmt.Errorf("execution %s of %s ended %s: %s", id, name, e.Status, aws.ToString(e.StatusSummary))
			}
		}
		// Polling from outside is not part of the measurement, but each call is served and
		// audited (a write) by the server measured: every 100 ms, not every 20 as before,
		// keeps that off the actions' path (the times come from the execution itself).
		time.Sleep(100 * time.Millisecond)
	}
}

func sequential(name string, n int, label string) *types.PipelineDeclaration {
	commands := types.ActionTypeId{Category: types.ActionCategoryCompute, Owner: types.ActionOwnerAws, Provider: aws.String("Commands"), Version: aws.String("1")}
	var actions []types.ActionDeclaration
	for i := 1; i <= n; i++ {
		actions = append(actions, types.ActionDeclaration{Name: aws.String(fmt.Sprintf("a%02d", i)), RunOrder: aws.Int32(int32(i)),
			ActionTypeId: &commands, Commands: []string{"true"}, InputArtifacts: []types.InputArtifact{{Name: aws.String("Code")}}})
		if label != "" {
			actions[i-1].Configuration = map[string]string{"WorkerLabel": label}
		}
	}
	return &types.PipelineDeclaration{Name: aws.String(name), RoleArn: aws.String("arn:aws:iam::000000000000:role/bench"),
		PipelineType:  types.PipelineTypeV2,
		ArtifactStore: &types.ArtifactStore{Type: types.ArtifactStoreTypeS3, Location: aws.String("bench")},
		Stages: []types.StageDeclaration{
			{Name: aws.String("Source"), Actions: []types.ActionDeclaration{{Name: aws.String("Source"),
				ActionTypeId:    &types.ActionTypeId{Category: types.ActionCategorySource, Owner: types.ActionOwnerAws, Provider: aws.String("CodeCommit"), Version: aws.String("1")},
				Configuration:   map[string]string{"RepositoryName": "bench", "BranchName": "main"},
				OutputArtifacts: []types.OutputArtifact{{Name: aws.String("Code")}}}}},
			{Name: aws.String("Run"), Actions: actions}}}
}

// spawnCost is the mean time to spawn and reap `sh -c true`, as an action's own process
// costs, or the command mk returns.
func spawnCost(n int, mk func() *exec.Cmd) time.Duration {
	if mk == nil {
		mk = func() *exec.Cmd { return exec.Command("sh", "-c", "true") }
	}
	start := time.Now()
	for range n {
		_ = mk().Run()
	}
	return time.Since(start) / time.Duration(n)
}

// sandboxSpawnCost is spawnCost in the sandbox the servers run actions in, as they run
// it; 0 without one.
func sandboxSpawnCost(n int) (time.Duration, error) {
	if sandboxMode == sandbox.ModeOff {
		return 0, nil
	}
	sb, err := sandbox.New(sandboxMode, nil)
	if err != nil {
		return 0, err
	}
	return spawnCost(n, func() *exec.Cmd {
		return sb.Command(context.Background(), sluice.SandboxCommand{Dir: "/", Args: []string{"/bin/sh", "-c", "true"}})
	}), nil
}
