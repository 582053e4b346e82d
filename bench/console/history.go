package main

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/codecommit"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"

	"sluice"
	"sluice/sealbox"
	"sluice/store/sqlite"

	"sluice/bench/internal/benchserver"
)

// actions are the pipeline's stages and actions, in order: a source, two parallel builds, an
// approval and a deploy, as the README's example pipeline.
var actions = []struct{ stage, action, provider string }{
	{"Source", "Source", "CodeCommit"},
	{"Build", "Compile", "Commands"},
	{"Build", "Test", "Commands"},
	{"Approval", "Approve", "Manual"},
	{"Deploy", "Ship", "Commands"},
}

// createPipeline creates the hosted repository and the pipeline through the API, and waits
// for the execution CreatePipeline starts to end (it fails: the repository has no commit).
func createPipeline(url string) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cfg := aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider(benchserver.KeyID, benchserver.Secret, "")}
	cp := codepipeline.NewFromConfig(cfg, func(o *codepipeline.Options) { o.BaseEndpoint = aws.String(url) })
	cc := codecommit.NewFromConfig(cfg, func(o *codecommit.Options) { o.BaseEndpoint = aws.String(url) })
	if _, err := cc.CreateRepository(ctx, &codecommit.CreateRepositoryInput{RepositoryName: aws.String(pipeline)}); err != nil {
		return err
	}
	if _, err := cp.CreatePipeline(ctx, &codepipeline.CreatePipelineInput{Pipeline: declaration()}); err != nil {
		return err
	}
	return benchserver.AwaitFirstExecution(ctx, cp, pipeline)
}

func declaration() *types.PipelineDeclaration {
	var stages []types.StageDeclaration
	for _, a := range actions {
		if len(stages) == 0 || aws.ToString(stages[len(stages)-1].Name) != a.stage {
			stages = append(stages, types.StageDeclaration{Name: aws.String(a.stage)})
		}
		st := &stages[len(stages)-1]
		d := types.ActionDeclaration{Name: aws.String(a.action), ActionTypeId: &types.ActionTypeId{Owner: types.ActionOwnerAws, Version: aws.String("1"), Provider: aws.String(a.provider)}}
		switch a.provider {
		case "CodeCommit":
			d.ActionTypeId.Category = types.ActionCategorySource
			d.Configuration = map[string]string{"RepositoryName": pipeline, "BranchName": "main", "PollForSourceChanges": "false"}
			d.OutputArtifacts = []types.OutputArtifact{{Name: aws.String("Code")}}
		case "Commands":
			d.ActionTypeId.Category = types.ActionCategoryCompute
			d.Commands = []string{"make " + a.action}
			d.InputArtifacts = []types.InputArtifact{{Name: aws.String("Code")}}
		case "Manual":
			d.ActionTypeId.Category = types.ActionCategoryApproval
		}
		st.Actions = append(st.Actions, d)
	}
	return &types.PipelineDeclaration{Name: aws.String(pipeline), RoleArn: aws.String("arn:aws:iam::000000000000:role/sluice-pipeline"),
		ArtifactStore: &types.ArtifactStore{Type: types.ArtifactStoreTypeS3, Location: aws.String("sluice-artifacts")},
		PipelineType:  types.PipelineTypeV2, Stages: stages}
}

// batch is how many executions one transaction writes.
const batch = 250

// writeHistory writes count finished executions of the pipeline, a minute apart and ending
// now, through the store's Update and Apply (the engine's write path): each with a pinned
// commit, every stage and action run, one in ten failed in its tests. The stages' latest
// execution is the newest.
func writeHistory(path, keyFile string, count int) (runs int, err error) {
	keys, err := sealbox.ReadFile(keyFile)
	if err != nil {
		return 0, err
	}
	box, err := sealbox.New(keys...)
	if err != nil {
		return 0, err
	}
	db, err := sqlite.Open(path, sqlite.WithSealer(box))
	if err != nil {
		return 0, err
	}
	defer db.Close()
	ctx := context.Background()
	first := time.Now().Add(-time.Duration(count) * time.Minute)
	for from := 0; from < count; from += batch {
		plan := &sluice.Plan{Stages: map[string]*sluice.StageState{}}
		for i := from; i < min(from+batch, count); i++ {
			addExecution(plan, i, first.Add(time.Duration(i)*time.Minute))
		}
		runs += len(plan.ActionRuns)
		if err := db.Update(ctx, pipeline, func(tx sluice.Tx) error {
			snap, err := tx.Snapshot(ctx)
			if err != nil {
				return err
			}
			version := snap.Pipeline.Declaration.Version
			for _, e := range plan.Executions {
				e.Row.PipelineVersion = version
			}
			for _, r := range plan.ActionRuns {
				r.Row.PipelineVersion = version
			}
			return tx.Apply(ctx, plan)
		}); err != nil {
			return 0, fmt.Errorf("write executions %d to %d: %w", from, from+batch, err)
		}
	}
	return runs, nil
}

// addExecution adds execution i, started at start, to plan.
func addExecution(plan *sluice.Plan, i int, start time.Time) {
	id := fmt.Sprintf("00000000-bench-4000-8000-%012d", i)
	commit := fmt.Sprintf("%040x", uint64(i)*2654435761)
	failed := i%10 == 7
	status := sluice.ExecutionSucceeded
	if failed {
		status = sluice.ExecutionFailed
	}
	end := start.Add(40 * time.Second)
	e := &sluice.Execution{ID: id, PipelineName: pipeline, Status: status, Mode: sluice.ModeSuperseded, Attempt: 1,
		Trigger:   sluice.Trigger{Type: "CloudWatchEvent", Detail: "arn:aws:codecommit:us-east-1:000000000000:" + pipeline},
		Revisions: map[string]sluice.Revision{"Source": {RevisionID: commit, Summary: fmt.Sprintf("Change number %d", i)}},
		StartTime: start, LastUpdateTime: end}
	plan.Executions = append(plan.Executions, sluice.Change[sluice.Execution, sluice.ExecutionStatus]{Row: e, Insert: true})
	t := start
	for n, a := range actions {
		st := sluice.ActionSucceeded
		if failed && a.action == "Test" {
			st = sluice.ActionFailed
		}
		if failed && a.stage != "Source" && a.stage != "Build" {
			break // the failed build stops the execution
		}
		r := &sluice.ActionRun{ID: fmt.Sprintf("%s-%d", id, n), ExecutionID: id, StageName: a.stage, ActionName: a.action,
			StageAttempt: 1, Status: st, StartTime: t, LastUpdateTime: t.Add(5 * time.Second), Summary: "done"}
		plan.ActionRuns = append(plan.ActionRuns, sluice.Change[sluice.ActionRun, sluice.ActionStatus]{Row: r, Insert: true})
		if n == 0 || actions[n-1].stage != a.stage {
			sst := sluice.StageSucceeded
			if failed && a.stage == "Build" {
				sst = sluice.StageFailed
			}
			plan.StageRuns = append(plan.StageRuns, sluice.Change[sluice.StageRun, sluice.StageStatus]{Row: &sluice.StageRun{
				ExecutionID: id, StageName: a.stage, Status: sst, Attempt: 1, BaseAttempt: 1, StartTime: t, LastUpdateTime: t.Add(5 * time.Second)}, Insert: true})
			plan.Stages[a.stage] = &sluice.StageState{Transition: sluice.TransitionState{Enabled: true}, LatestExecutionID: id}
		}
		t = t.Add(8 * time.Second)
	}
}
