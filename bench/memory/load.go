package main

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/codecommit"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"

	"sluice/bench/internal/benchserver"
)

const pipeline = "mem"

// load runs executions of one pipeline on a server.
type load struct{ cp *codepipeline.Client }

// newLoad creates the hosted repository (one commit) and the PARALLEL pipeline, and waits for
// the execution CreatePipeline starts.
func newLoad(url, dir, addr string) (*load, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cfg := aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider(benchserver.KeyID, benchserver.Secret, "")}
	l := &load{cp: codepipeline.NewFromConfig(cfg, func(o *codepipeline.Options) { o.BaseEndpoint = aws.String(url) })}
	cc := codecommit.NewFromConfig(cfg, func(o *codecommit.Options) { o.BaseEndpoint = aws.String(url) })
	if _, err := cc.CreateRepository(ctx, &codecommit.CreateRepositoryInput{RepositoryName: aws.String(pipeline)}); err != nil {
		return nil, err
	}
	if err := benchserver.SeedRepo(dir, addr, pipeline); err != nil {
		return nil, err
	}
	if _, err := l.cp.CreatePipeline(ctx, &codepipeline.CreatePipelineInput{Pipeline: declaration()}); err != nil {
		return nil, err
	}
	out, err := l.cp.ListPipelineExecutions(ctx, &codepipeline.ListPipelineExecutionsInput{PipelineName: aws.String(pipeline)})
	if err != nil {
		return nil, err
	}
	for _, e := range out.PipelineExecutionSummaries {
		if err := l.wait(ctx, aws.ToString(e.PipelineExecutionId)); err != nil {
			return nil, err
		}
	}
	return l, nil
}

// run starts n executions, at most inflight at a time, each waited for until it succeeds;
// progress is called with the count done after each.
func (l *load) run(ctx context.Context, n, inflight int, progress func(done int)) error {
	var (
		next, done atomic.Int64
		mu         sync.Mutex // progress in order
		wg         sync.WaitGroup
		errs       = make([]error, inflight)
	)
	for i := range inflight {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for next.Add(1) <= int64(n) {
				out, err := l.cp.StartPipelineExecution(ctx, &codepipeline.StartPipelineExecutionInput{Name: aws.String(pipeline)})
				if err == nil {
					err = l.wait(ctx, aws.ToString(out.PipelineExecutionId))
				}
				if err != nil {
					errs[i] = err
					return
				}
				mu.Lock()
				progress(int(done.Add(1)))
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// wait polls the execution until it ends, and fails unless it succeeded.
func (l *load) wait(ctx context.Context, id string) error {
	for {
		out, err := l.cp.GetPipelineExecution(ctx, &codepipeline.GetPipelineExecutionInput{PipelineName: aws.String(pipeline), PipelineExecutionId: aws.String(id)})
		if err != nil {
			return err
		}
		switch e := out.PipelineExecution; e.Status {
		case types.PipelineExecutionStatusSucceeded:
			return nil
		case types.PipelineExecutionStatusInProgress:
		default:
			return fmt.Errorf("execution %s ended %s: %s", id, e.Status, aws.ToString(e.StatusSummary))
		}
		time.Sleep(50 * time.Millisecond) // the bench's own polling, bounded
	}
}

// declaration is a PARALLEL pipeline of three actions: a CodeCommit source and two Commands
// actions in sequence that run `true`.
func declaration() *types.PipelineDeclaration {
	commands := types.ActionTypeId{Category: types.ActionCategoryCompute, Owner: types.ActionOwnerAws, Provider: aws.String("Commands"), Version: aws.String("1")}
	run := func(name string, order int32) types.ActionDeclaration {
		return types.ActionDeclaration{Name: aws.String(name), RunOrder: aws.Int32(order), ActionTypeId: &commands,
			Commands: []string{"true"}, InputArtifacts: []types.InputArtifact{{Name: aws.String("Code")}}}
	}
	return &types.PipelineDeclaration{Name: aws.String(pipeline), RoleArn: aws.String("arn:aws:iam::000000000000:role/bench"),
		PipelineType: types.PipelineTypeV2, ExecutionMode: types.ExecutionModeParallel,
		ArtifactStore: &types.ArtifactStore{Type: types.ArtifactStoreTypeS3, Location: aws.String("bench")},
		Stages: []types.StageDeclaration{
			{Name: aws.String("Source"), Actions: []types.ActionDeclaration{{Name: aws.String("Source"),
				ActionTypeId:    &types.ActionTypeId{Category: types.ActionCategorySource, Owner: types.ActionOwnerAws, Provider: aws.String("CodeCommit"), Version: aws.String("1")},
				Configuration:   map[string]string{"RepositoryName": pipeline, "BranchName": "main", "PollForSourceChanges": "false"},
				OutputArtifacts: []types.OutputArtifact{{Name: aws.String("Code")}}}}},
			{Name: aws.String("Run"), Actions: []types.ActionDeclaration{run("Build", 1), run("Deploy", 2)}}}}
}
