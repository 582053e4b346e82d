package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/codecommit"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"

	"sluice/bench/internal/benchserver"
	"sluice/bench/internal/stats"
	sluiceclient "sluice/client"
)

// durations are samples of one measure.
type durations = stats.Durations

type result struct {
	name string
	d    durations
}

// createPipeline creates the hosted repository and the pipeline through the API, and waits
// for the execution CreatePipeline starts to end (it fails: the repository has no commit).
func createPipeline(url string) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cfg := aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider(benchserver.KeyID, benchserver.Secret, "")}
	cc := codecommit.NewFromConfig(cfg, func(o *codecommit.Options) { o.BaseEndpoint = aws.String(url) })
	if _, err := cc.CreateRepository(ctx, &codecommit.CreateRepositoryInput{RepositoryName: aws.String(pipeline)}); err != nil {
		return err
	}
	cp := codepipeline.NewFromConfig(cfg, func(o *codepipeline.Options) { o.BaseEndpoint = aws.String(url) })
	if _, err := cp.CreatePipeline(ctx, &codepipeline.CreatePipelineInput{Pipeline: declaration()}); err != nil {
		return err
	}
	return benchserver.AwaitFirstExecution(ctx, cp, pipeline)
}

func declaration() *types.PipelineDeclaration {
	var decl []types.StageDeclaration
	for _, s := range stages {
		a := types.ActionDeclaration{Name: aws.String(s.action), ActionTypeId: &types.ActionTypeId{Owner: types.ActionOwnerAws, Version: aws.String("1"), Provider: aws.String(s.provider)}}
		if s.provider == "CodeCommit" {
			a.ActionTypeId.Category = types.ActionCategorySource
			a.Configuration = map[string]string{"RepositoryName": pipeline, "BranchName": "main", "PollForSourceChanges": "false"}
			a.OutputArtifacts = []types.OutputArtifact{{Name: aws.String("Code")}}
		} else {
			a.ActionTypeId.Category = types.ActionCategoryCompute
			a.Commands = []string{"make " + s.action}
			a.InputArtifacts = []types.InputArtifact{{Name: aws.String("Code")}}
		}
		decl = append(decl, types.StageDeclaration{Name: aws.String(s.stage), Actions: []types.ActionDeclaration{a}})
	}
	return &types.PipelineDeclaration{Name: aws.String(pipeline), RoleArn: aws.String("arn:aws:iam::000000000000:role/sluice-pipeline"),
		ArtifactStore: &types.ArtifactStore{Type: types.ArtifactStoreTypeS3, Location: aws.String("sluice-artifacts")},
		PipelineType:  types.PipelineTypeV2, Stages: decl}
}

// measureAll times n calls of each read, one at a time over a kept-alive connection, after
// ten that warm up, as signed AWS JSON requests whose answers are read and decoded whole.
// Executions are picked at random (the same sequence at every checkpoint) among those
// written.
func measureAll(url string, executions, n, deep int) ([]result, error) {
	ctx := context.Background()
	c := sluiceclient.New(url, "us-east-1", credentials.NewStaticCredentialsProvider(benchserver.KeyID, benchserver.Secret, ""),
		&http.Client{Timeout: time.Minute})
	call := func(op string, in map[string]any) (map[string]any, error) {
		var out map[string]any
		err := c.Call(ctx, "CodePipeline_20150709."+op, "codepipeline", in, &out)
		return out, err
	}
	token, depth, err := deepToken(call, executions, deep)
	if err != nil {
		return nil, err
	}
	pick := func(rng *rand.Rand) string { return executionID(rng.IntN(executions)) }
	reads := []struct {
		name string
		call func(rng *rand.Rand) error
	}{
		{"GetPipelineState", func(*rand.Rand) error {
			_, err := call("GetPipelineState", map[string]any{"name": pipeline})
			return err
		}},
		{"ListPipelineExecutions, first page (100)", func(*rand.Rand) error {
			_, err := call("ListPipelineExecutions", map[string]any{"pipelineName": pipeline})
			return err
		}},
		{fmt.Sprintf("ListPipelineExecutions, page %d (%d deep)", depth/100+1, depth), func(*rand.Rand) error {
			out, err := call("ListPipelineExecutions", map[string]any{"pipelineName": pipeline, "nextToken": token})
			if err != nil {
				return err
			}
			// Newest first: the execution CreatePipeline started, then the written ones from
			// the last, so depth rows in the page starts at written execution executions-depth.
			page, want := out["pipelineExecutionSummaries"].([]any), executionID(executions-depth)
			if len(page) != 100 || page[0].(map[string]any)["pipelineExecutionId"] != want {
				return fmt.Errorf("the deep page holds %d executions, not 100 from %s", len(page), want)
			}
			return nil
		}},
		{"GetPipelineExecution, random execution", func(rng *rand.Rand) error {
			_, err := call("GetPipelineExecution", map[string]any{"pipelineName": pipeline, "pipelineExecutionId": pick(rng)})
			return err
		}},
		{"ListActionExecutions, first page (100)", func(*rand.Rand) error {
			_, err := call("ListActionExecutions", map[string]any{"pipelineName": pipeline})
			return err
		}},
		{"ListActionExecutions, random execution", func(rng *rand.Rand) error {
			out, err := call("ListActionExecutions", map[string]any{"pipelineName": pipeline,
				"filter": map[string]any{"pipelineExecutionId": pick(rng)}})
			if err == nil && len(out["actionExecutionDetails"].([]any)) == 0 {
				err = fmt.Errorf("an execution has no action executions")
			}
			return err
		}},
	}
	// Round robin over the reads, so that a pause of the machine's other tenants falls on
	// every read alike rather than on whichever was being measured.
	res := make([]result, len(reads))
	rngs := make([]*rand.Rand, len(reads))
	for i, r := range reads {
		res[i] = result{r.name, make(durations, 0, n)}
		rngs[i] = rand.New(rand.NewPCG(1, uint64(i)))
	}
	for k := -10; k < n; k++ {
		for i, r := range reads {
			start := time.Now()
			if err := r.call(rngs[i]); err != nil {
				return nil, fmt.Errorf("%s: %w", r.name, err)
			}
			if k >= 0 {
				res[i].d = append(res[i].d, time.Since(start))
			}
		}
	}
	return res, nil
}

// deepToken follows nextToken through pages of 100 up to deep times, or fewer when the
// history is shorter (so that the page it leads to is a full one), and returns the token and
// how many executions it skips.
func deepToken(call func(string, map[string]any) (map[string]any, error), executions, deep int) (string, int, error) {
	token, depth := "", 0
	for range min(deep, (executions+1)/100-1) { // +1: the execution CreatePipeline started
		in := map[string]any{"pipelineName": pipeline}
		if token != "" {
			in["nextToken"] = token
		}
		out, err := call("ListPipelineExecutions", in)
		if err != nil {
			return "", 0, err
		}
		next, _ := out["nextToken"].(string)
		if next == "" {
			return "", 0, fmt.Errorf("the history ended after %d executions", depth)
		}
		token = next
		depth += len(out["pipelineExecutionSummaries"].([]any))
	}
	return token, depth, nil
}
