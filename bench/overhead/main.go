// Command overhead measures Sluice's per-action overhead: it starts a real server, runs
// pipelines of 10 and 50 sequential Commands actions that run `true`, takes the slope of
// execution time over action count from the executions' own timestamps, and compares it with
// the cost of spawning `sh -c true` measured in the same run. It does so twice: with the
// actions run by the server's in-process workers, then pinned (WorkerLabel) to a `sluice
// worker` process on the same machine, which reaches the server over HTTP.
//
//	go run ./bench/overhead [-runs 5]
package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
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
)

var workDir string

const (
	keyID  = "AKIABENCHMARK0000001"
	secret = "benchmark-secret-0000000000000000000000"
)

func main() {
	runs := flag.Int("runs", 5, "executions per pipeline size (the median is used)")
	spawns := flag.Int("spawns", 300, "spawns of sh -c true to time")
	flag.StringVar(&workDir, "work-dir", "", "the server's --work-dir for action workspaces (default: inside its data directory)")
	flag.Parse()
	if err := run(*runs, *spawns); err != nil {
		fmt.Fprintln(os.Stderr, "overhead:", err)
		os.Exit(1)
	}
}

func run(runs, spawns int) error {
	dir, err := os.MkdirTemp("", "sluice-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	addr, stop, err := startServer(dir)
	if err != nil {
		return err
	}
	defer stop()
	stopWorker, err := startWorker(dir, addr)
	if err != nil {
		return err
	}
	defer stopWorker()
	ctx := context.Background()
	cp, cc := clients("http://" + addr)
	if err := seedRepo(ctx, cc, dir, addr); err != nil {
		return err
	}
	spawn := spawnCost(spawns)
	fmt.Printf("spawn of sh -c true:            %v\n", spawn.Round(time.Microsecond))
	var slopes []time.Duration
	for _, label := range []string{"", remoteLabel} {
		where := "in-process workers"
		if label != "" {
			where = "a sluice worker process"
		}
		fmt.Printf("\nactions run by %s\n", where)
		per := map[int]time.Duration{}
		for _, n := range []int{10, 50} {
			if per[n], err = medianExecution(ctx, cp, n, runs, label); err != nil {
				return err
			}
			fmt.Printf("%2d sequential actions: median execution %v\n", n, per[n].Round(time.Microsecond))
		}
		slope := (per[50] - per[10]) / 40
		slopes = append(slopes, slope)
		fmt.Printf("per-action time (slope 10->50): %v\n", slope.Round(time.Microsecond))
		fmt.Printf("ratio per-action / spawn:       %.2f\n", float64(slope)/float64(spawn))
	}
	fmt.Printf("\nremote worker cost per action:  %v (%.2f spawns)\n", (slopes[1] - slopes[0]).Round(time.Microsecond),
		float64(slopes[1]-slopes[0])/float64(spawn))
	return nil
}

// remoteLabel pins the second round's actions to the bench's `sluice worker`.
const remoteLabel = "bench-remote"

// startWorker runs `sluice worker` for the server at addr, taking only labelled actions'
// jobs in practice: the in-process workers take every unlabelled one first.
func startWorker(dir, addr string) (func(), error) {
	cmd := exec.Command(filepath.Join(dir, "sluice"), "worker", "--server", "http://"+addr, "--labels", remoteLabel,
		"--capacity", "2", "--work-dir", filepath.Join(dir, "worker"))
	if workDir != "" {
		cmd.Args[len(cmd.Args)-1] = filepath.Join(workDir, "worker")
	}
	cmd.Env = append(os.Environ(), "SLUICE_ACCESS_KEY_ID="+keyID, "SLUICE_SECRET_ACCESS_KEY="+secret)
	logf, _ := os.Create(filepath.Join(dir, "worker.log"))
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	return func() { _ = cmd.Process.Kill(); _, _ = cmd.Process.Wait() }, nil
}

func startServer(dir string) (string, func(), error) {
	bin := filepath.Join(dir, "sluice")
	if out, err := exec.Command("go", "build", "-o", bin, "./cmd/sluice").CombinedOutput(); err != nil {
		return "", nil, fmt.Errorf("build (run from the repository root): %v: %s", err, out)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	addr := l.Addr().String()
	l.Close()
	args := []string{"server", "--listen", addr, "--data-dir", filepath.Join(dir, "data"), "--workers", "2"}
	if workDir != "" {
		args = append(args, "--work-dir", workDir)
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "SLUICE_ACCESS_KEY_ID="+keyID, "SLUICE_SECRET_ACCESS_KEY="+secret)
	logf, _ := os.Create(filepath.Join(dir, "server.log"))
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		return "", nil, err
	}
	stop := func() { _ = cmd.Process.Kill(); _, _ = cmd.Process.Wait() }
	for i := 0; ; i++ {
		if resp, err := http.Get("http://" + addr + "/healthz"); err == nil && resp.StatusCode == 200 {
			resp.Body.Close()
			return addr, stop, nil
		}
		if i > 400 {
			stop()
			return "", nil, fmt.Errorf("server did not become healthy; see %s", logf.Name())
		}
		time.Sleep(25 * time.Millisecond)
	}
}

func clients(url string) (*codepipeline.Client, *codecommit.Client) {
	cfg := aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider(keyID, secret, "")}
	return codepipeline.NewFromConfig(cfg, func(o *codepipeline.Options) { o.BaseEndpoint = aws.String(url) }),
		codecommit.NewFromConfig(cfg, func(o *codecommit.Options) { o.BaseEndpoint = aws.String(url) })
}

// seedRepo creates the hosted repository "bench" with one small commit on main.
func seedRepo(ctx context.Context, cc *codecommit.Client, dir, addr string) error {
	if _, err := cc.CreateRepository(ctx, &codecommit.CreateRepositoryInput{RepositoryName: aws.String("bench")}); err != nil {
		return err
	}
	work := filepath.Join(dir, "work")
	url := fmt.Sprintf("http://%s:%s@%s/v1/repos/bench", keyID, secret, addr)
	script := fmt.Sprintf(`set -e
git init -q -b main %[1]s && cd %[1]s
echo bench > README
git add README
git -c user.name=bench -c user.email=bench@example.com commit -q -m seed
git push -q %[2]s HEAD:main`, work, url)
	if out, err := exec.Command("bash", "-c", script).CombinedOutput(); err != nil {
		return fmt.Errorf("seed repository: %v: %s", err, out)
	}
	return nil
}

// medianExecution creates a pipeline of n sequential `true` actions (with WorkerLabel label,
// unless "") and returns the median
// duration of runs executions, from each execution's start and last update times.
func medianExecution(ctx context.Context, cp *codepipeline.Client, n, runs int, label string) (time.Duration, error) {
	name := fmt.Sprintf("seq%d%s", n, label)
	if _, err := cp.CreatePipeline(ctx, &codepipeline.CreatePipelineInput{Pipeline: sequential(name, n, label)}); err != nil {
		return 0, err
	}
	var ds []time.Duration
	for i := 0; i <= runs; i++ { // the first, started by CreatePipeline, warms up
		id, err := latestExecution(ctx, cp, name, i)
		if err != nil {
			return 0, err
		}
		d, err := waitDone(ctx, cp, name, id)
		if err != nil {
			return 0, err
		}
		if i > 0 {
			ds = append(ds, d)
		}
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	return ds[len(ds)/2], nil
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
		time.Sleep(20 * time.Millisecond) // polling the server from outside; not part of the measurement
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

// spawnCost is the mean time to spawn and reap `sh -c true`, as an action's own process costs.
func spawnCost(n int) time.Duration {
	start := time.Now()
	for range n {
		_ = exec.Command("sh", "-c", "true").Run()
	}
	return time.Since(start) / time.Duration(n)
}
