// Command pushstart measures how long a git push to a hosted repository takes to start the
// first action after the source: it starts a real `sluice server`, creates a hosted
// repository and a pipeline of a CodeCommit source and one Commands action running `true`,
// then -n times commits a change, pushes it with git over HTTP and reads, from the API, when
// the execution the push started began, when its source action began and ended, and when
// its first Commands action began. Times are from the moment `git push` is run (the
// machine's one clock serves both sides). It prints the median and the 95th percentile of
// each step.
//
//	go run ./bench/pushstart [-n 40] [-compare COMMIT] [-- server flags]
//
// With -compare it builds the commit too, runs both servers at once and alternates their
// pushes, so that a slow minute of the machine hits both.
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

	"sluice/bench/internal/benchserver"
)

func main() {
	n := flag.Int("n", 40, "pushes to time")
	compare := flag.String("compare", "", "a git commit to measure too, pushes alternating (e.g. main)")
	files := flag.Int("files", 20, "files in the repository's tree (4 KiB each)")
	flag.Parse()
	if err := run(*n, *compare, *files, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "pushstart:", err)
		os.Exit(1)
	}
}

// sample is one push's times, from the start of `git push`.
type sample struct {
	pushed, execStart, sourceStart, sourceEnd, firstAction time.Duration
}

func run(n int, compare string, files int, args []string) error {
	dir, err := os.MkdirTemp("", "sluice-pushstart-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if err := os.Chmod(dir, 0o711); err != nil { // the sandbox's user passes through to workspaces
		return err
	}
	bins := []string{""}
	names := []string{"this tree"}
	if bins[0], err = benchserver.Build("", dir); err != nil { // from the current directory
		return err
	}
	if compare != "" {
		bin, err := buildCommit(dir, compare)
		if err != nil {
			return err
		}
		bins, names = append(bins, bin), append(names, compare)
	}
	var targets []*target
	for i, bin := range bins {
		t, err := start(bin, filepath.Join(dir, fmt.Sprint(i)), files, args)
		if err != nil {
			return fmt.Errorf("%s: %w", names[i], err)
		}
		defer t.srv.Kill()
		targets = append(targets, t)
	}
	samples := make([][]sample, len(targets))
	for i := 0; i <= n; i++ { // the first warms up
		for k, t := range targets {
			s, err := t.repo.measure(context.Background(), t.cp, i)
			if err != nil {
				return fmt.Errorf("%s: %w", names[k], err)
			}
			if i > 0 {
				samples[k] = append(samples[k], s)
			}
		}
	}
	for k := range targets {
		fmt.Printf("\n%s: ", names[k])
		report(samples[k])
	}
	return nil
}

// target is one build's server, with its repository and client.
type target struct {
	srv  *benchserver.Server
	cp   *codepipeline.Client
	repo *repo
}

// start runs bin's server in dir with a repository of files files pushed to it and the
// pipeline created, its first execution ended.
func start(bin, dir string, files int, args []string) (*target, error) {
	if err := os.MkdirAll(dir, 0o711); err != nil {
		return nil, err
	}
	if err := os.Chmod(dir, 0o711); err != nil {
		return nil, err
	}
	srv, err := benchserver.Start(bin, dir, filepath.Join(dir, "data"), append([]string{"--workers", "2"}, args...)...)
	if err != nil {
		return nil, err
	}
	t := &target{srv: srv, repo: &repo{dir: filepath.Join(dir, "work"),
		url: fmt.Sprintf("http://%s:%s@%s/v1/repos/bench", benchserver.KeyID, benchserver.Secret, srv.Addr)}}
	if err := t.seed(files); err != nil {
		srv.Kill()
		return nil, err
	}
	return t, nil
}

func (t *target) seed(files int) error {
	ctx := context.Background()
	cfg := aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider(benchserver.KeyID, benchserver.Secret, "")}
	t.cp = codepipeline.NewFromConfig(cfg, func(o *codepipeline.Options) { o.BaseEndpoint = aws.String(t.srv.URL) })
	cc := codecommit.NewFromConfig(cfg, func(o *codecommit.Options) { o.BaseEndpoint = aws.String(t.srv.URL) })
	if _, err := cc.CreateRepository(ctx, &codecommit.CreateRepositoryInput{RepositoryName: aws.String("bench")}); err != nil {
		return err
	}
	if err := t.repo.init(files); err != nil {
		return err
	}
	if _, err := t.repo.push(); err != nil {
		return err
	}
	if _, err := t.cp.CreatePipeline(ctx, &codepipeline.CreatePipelineInput{Pipeline: pipeline()}); err != nil {
		return err
	}
	return benchserver.AwaitFirstExecution(ctx, t.cp, "push")
}

// buildCommit builds commit's sluice from a temporary git worktree, removed afterwards.
func buildCommit(dir, commit string) (string, error) {
	src := filepath.Join(dir, "src-compare")
	if out, err := exec.Command("git", "worktree", "add", "--detach", src, commit).CombinedOutput(); err != nil {
		return "", fmt.Errorf("check out %s: %v: %s", commit, err, out)
	}
	defer exec.Command("git", "worktree", "remove", "--force", src).Run()
	bin := filepath.Join(dir, "sluice-compare")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/sluice")
	cmd.Dir = src
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("build %s: %v: %s", commit, err, out)
	}
	return bin, nil
}

type repo struct{ dir, url string }

func (r *repo) git(args ...string) error {
	cmd := exec.Command("git", append([]string{"-C", r.dir, "-c", "user.name=bench", "-c", "user.email=bench@example.com"}, args...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("git %v: %v: %s", args, err, out)
	}
	return nil
}

// init makes a repository of files files of 4 KiB.
func (r *repo) init(files int) error {
	if out, err := exec.Command("git", "init", "-q", "-b", "main", r.dir).CombinedOutput(); err != nil {
		return fmt.Errorf("git init: %v: %s", err, out)
	}
	block := make([]byte, 4096)
	for i := range files {
		for j := range block {
			block[j] = byte('a' + (i+j)%26)
		}
		if err := os.WriteFile(filepath.Join(r.dir, fmt.Sprintf("file%03d.txt", i)), block, 0o644); err != nil {
			return err
		}
	}
	if err := r.git("add", "."); err != nil {
		return err
	}
	return r.git("commit", "-q", "-m", "seed")
}

// push pushes main and returns when git returned, from its start.
func (r *repo) push() (time.Duration, error) {
	start := time.Now()
	err := r.git("push", "-q", r.url, "HEAD:main")
	return time.Since(start), err
}

// measure commits a change, pushes it, and reads the times of the execution it started.
func (r *repo) measure(ctx context.Context, cp *codepipeline.Client, i int) (sample, error) {
	if err := os.WriteFile(filepath.Join(r.dir, "change.txt"), []byte(fmt.Sprint(i)), 0o644); err != nil {
		return sample{}, err
	}
	if err := r.git("commit", "-q", "-a", "-m", fmt.Sprint("change ", i)); err != nil {
		if err := r.git("add", "change.txt"); err != nil {
			return sample{}, err
		}
		if err := r.git("commit", "-q", "-m", fmt.Sprint("change ", i)); err != nil {
			return sample{}, err
		}
	}
	start := time.Now()
	pushed, err := r.push()
	if err != nil {
		return sample{}, err
	}
	id, err := waitDone(ctx, cp)
	if err != nil {
		return sample{}, err
	}
	s := sample{pushed: pushed}
	acts, err := cp.ListActionExecutions(ctx, &codepipeline.ListActionExecutionsInput{PipelineName: aws.String("push"),
		Filter: &types.ActionExecutionFilter{PipelineExecutionId: aws.String(id)}})
	if err != nil {
		return s, err
	}
	for _, a := range acts.ActionExecutionDetails {
		switch aws.ToString(a.ActionName) {
		case "Source":
			s.sourceStart, s.sourceEnd = a.StartTime.Sub(start), a.LastUpdateTime.Sub(start)
		case "Run":
			s.firstAction = a.StartTime.Sub(start)
		}
	}
	sum, err := cp.ListPipelineExecutions(ctx, &codepipeline.ListPipelineExecutionsInput{PipelineName: aws.String("push"), MaxResults: aws.Int32(1)})
	if err != nil || len(sum.PipelineExecutionSummaries) == 0 {
		return s, fmt.Errorf("list executions: %v", err)
	}
	s.execStart = sum.PipelineExecutionSummaries[0].StartTime.Sub(start)
	if s.firstAction == 0 {
		return s, fmt.Errorf("execution %s has no Run action", id)
	}
	return s, nil
}

// waitDone waits for the latest execution to end and returns its id: the push answers only
// once the executions it started exist.
func waitDone(ctx context.Context, cp *codepipeline.Client) (string, error) {
	for {
		out, err := cp.ListPipelineExecutions(ctx, &codepipeline.ListPipelineExecutionsInput{PipelineName: aws.String("push"), MaxResults: aws.Int32(1)})
		if err != nil {
			return "", err
		}
		if e := out.PipelineExecutionSummaries; len(e) > 0 && e[0].Status != types.PipelineExecutionStatusInProgress {
			if e[0].Status != types.PipelineExecutionStatusSucceeded {
				return "", fmt.Errorf("execution %s ended %s", aws.ToString(e[0].PipelineExecutionId), e[0].Status)
			}
			return aws.ToString(e[0].PipelineExecutionId), nil
		}
		time.Sleep(20 * time.Millisecond) // polling from outside; not part of the measurement
	}
}

func pipeline() *types.PipelineDeclaration {
	return &types.PipelineDeclaration{Name: aws.String("push"), RoleArn: aws.String("arn:aws:iam::000000000000:role/bench"),
		PipelineType:  types.PipelineTypeV2,
		ArtifactStore: &types.ArtifactStore{Type: types.ArtifactStoreTypeS3, Location: aws.String("bench")},
		Stages: []types.StageDeclaration{
			{Name: aws.String("Source"), Actions: []types.ActionDeclaration{{Name: aws.String("Source"),
				ActionTypeId:    &types.ActionTypeId{Category: types.ActionCategorySource, Owner: types.ActionOwnerAws, Provider: aws.String("CodeCommit"), Version: aws.String("1")},
				Configuration:   map[string]string{"RepositoryName": "bench", "BranchName": "main"},
				OutputArtifacts: []types.OutputArtifact{{Name: aws.String("Code")}}}}},
			{Name: aws.String("Build"), Actions: []types.ActionDeclaration{{Name: aws.String("Run"),
				ActionTypeId:   &types.ActionTypeId{Category: types.ActionCategoryCompute, Owner: types.ActionOwnerAws, Provider: aws.String("Commands"), Version: aws.String("1")},
				Commands:       []string{"true"},
				InputArtifacts: []types.InputArtifact{{Name: aws.String("Code")}}}}}}}
}

func report(samples []sample) {
	rows := []struct {
		name string
		get  func(sample) time.Duration
	}{
		{"execution started", func(s sample) time.Duration { return s.execStart }},
		{"source action started", func(s sample) time.Duration { return s.sourceStart }},
		{"source action ended", func(s sample) time.Duration { return s.sourceEnd }},
		{"first action started", func(s sample) time.Duration { return s.firstAction }},
		{"git push returned", func(s sample) time.Duration { return s.pushed }},
		{"first action after execution start", func(s sample) time.Duration { return s.firstAction - s.execStart }},
		{"source action (end - start)", func(s sample) time.Duration { return s.sourceEnd - s.sourceStart }},
		{"first action after source end", func(s sample) time.Duration { return s.firstAction - s.sourceEnd }},
	}
	fmt.Printf("%d pushes; times from the start of git push\n", len(samples))
	fmt.Printf("%-36s %10s %10s\n", "", "p50", "p95")
	for _, r := range rows {
		d := make([]time.Duration, len(samples))
		for i, s := range samples {
			d[i] = r.get(s)
		}
		sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
		p95 := d[min(len(d)-1, (len(d)*95+99)/100-1)]
		fmt.Printf("%-36s %10v %10v\n", r.name, d[len(d)/2].Round(100*time.Microsecond), p95.Round(100*time.Microsecond))
	}
}
