package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/codecommit"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"

	"sluice/client"

	"sluice/bench/internal/benchserver"
)

const waitLimit = time.Minute

type bench struct {
	url string
	rcv *receiver
	api *client.Client
	cp  *codepipeline.Client
	cc  *codecommit.Client
	seq int
}

func newBench(url string, rcv *receiver) *bench {
	creds := credentials.NewStaticCredentialsProvider(benchserver.KeyID, benchserver.Secret, "")
	cfg := aws.Config{Region: "us-east-1", Credentials: creds}
	return &bench{url: url, rcv: rcv, api: client.New(url, "us-east-1", creds, nil),
		cp: codepipeline.NewFromConfig(cfg, func(o *codepipeline.Options) { o.BaseEndpoint = aws.String(url) }),
		cc: codecommit.NewFromConfig(cfg, func(o *codecommit.Options) { o.BaseEndpoint = aws.String(url) })}
}

// setup makes the rule and its HTTP target, and a pipeline whose executions start and stop
// at once (its source repository is empty: the source action fails).
func (b *bench) setup() error {
	ctx := context.Background()
	if err := b.api.Call(ctx, "AWSEvents.PutRule", "events", map[string]any{"Name": "to-receiver",
		"EventPattern": `{"source":["bench","aws.codepipeline"]}`}, nil); err != nil {
		return fmt.Errorf("put-rule: %w", err)
	}
	if err := b.api.Call(ctx, "AWSEvents.PutTargets", "events", map[string]any{"Rule": "to-receiver",
		"Targets": []map[string]any{{"Id": "receiver", "Arn": b.rcv.url + "/events"}}}, nil); err != nil {
		return fmt.Errorf("put-targets: %w", err)
	}
	if _, err := b.cc.CreateRepository(ctx, &codecommit.CreateRepositoryInput{RepositoryName: aws.String("empty")}); err != nil {
		return err
	}
	_, err := b.cp.CreatePipeline(ctx, &codepipeline.CreatePipelineInput{Pipeline: &types.PipelineDeclaration{
		Name: aws.String("starts"), RoleArn: aws.String("arn:aws:iam::000000000000:role/bench"), PipelineType: types.PipelineTypeV2,
		ExecutionMode: types.ExecutionModeParallel,
		ArtifactStore: &types.ArtifactStore{Type: types.ArtifactStoreTypeS3, Location: aws.String("sluice-artifacts")},
		Stages: []types.StageDeclaration{
			{Name: aws.String("Source"), Actions: []types.ActionDeclaration{{Name: aws.String("Source"),
				ActionTypeId:    &types.ActionTypeId{Category: types.ActionCategorySource, Owner: types.ActionOwnerAws, Provider: aws.String("CodeCommit"), Version: aws.String("1")},
				Configuration:   map[string]string{"RepositoryName": "empty", "BranchName": "main", "PollForSourceChanges": "false"},
				OutputArtifacts: []types.OutputArtifact{{Name: aws.String("Code")}}}}},
			{Name: aws.String("Build"), Actions: []types.ActionDeclaration{{Name: aws.String("Run"),
				ActionTypeId:   &types.ActionTypeId{Category: types.ActionCategoryCompute, Owner: types.ActionOwnerAws, Provider: aws.String("Commands"), Version: aws.String("1")},
				InputArtifacts: []types.InputArtifact{{Name: aws.String("Code")}}, Commands: []string{"true"}}}}}}})
	return err
}

// bareRoundTrips times n POSTs straight to the receiver: the floor of any delivery.
func (b *bench) bareRoundTrips(n int) ([]time.Duration, error) {
	out := make([]time.Duration, 0, n)
	for i := range n {
		key := "bare-" + strconv.Itoa(i)
		body, _ := json.Marshal(map[string]any{"detail": map[string]string{"seq": key}})
		start := time.Now()
		resp, err := http.Post(b.rcv.url+"/bare", "application/json", bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		resp.Body.Close()
		at, _ := b.rcv.waitFor(key, waitLimit)
		out = append(out, at.Sub(start))
	}
	return out, nil
}

func (b *bench) entry() (map[string]any, string) {
	b.seq++
	key := "put-" + strconv.Itoa(b.seq)
	detail, _ := json.Marshal(map[string]string{"seq": key})
	return map[string]any{"Source": "bench", "DetailType": "Bench Event", "Detail": string(detail)}, key
}

// putLatency puts n events one at a time, each after the previous arrived, and returns
// the times to delivery and, apart, the times PutEvents took to answer (its commit).
func (b *bench) putLatency(n int) (delivered, answered []time.Duration, err error) {
	for range n {
		e, key := b.entry()
		start := time.Now()
		if err := b.api.Call(context.Background(), "AWSEvents.PutEvents", "events", map[string]any{"Entries": []any{e}}, nil); err != nil {
			return nil, nil, fmt.Errorf("put-events: %w", err)
		}
		answered = append(answered, time.Since(start))
		at, ok := b.rcv.waitFor(key, waitLimit)
		if !ok {
			return nil, nil, fmt.Errorf("event %s never arrived", key)
		}
		delivered = append(delivered, at.Sub(start))
	}
	return delivered, answered, nil
}

// startLatency starts n executions one at a time and times their STARTED events.
func (b *bench) startLatency(n int) ([]time.Duration, error) {
	out := make([]time.Duration, 0, n)
	for range n {
		start := time.Now()
		res, err := b.cp.StartPipelineExecution(context.Background(), &codepipeline.StartPipelineExecutionInput{Name: aws.String("starts")})
		if err != nil {
			return nil, err
		}
		at, ok := b.rcv.waitFor(aws.ToString(res.PipelineExecutionId), waitLimit)
		if !ok {
			return nil, fmt.Errorf("execution %s: STARTED never arrived", aws.ToString(res.PipelineExecutionId))
		}
		out = append(out, max(at.Sub(start), 0))
	}
	return out, nil
}

// throughput puts burst events from 4 clients in batches of 10 and waits for them all.
func (b *bench) throughput(burst int) (ingest, deliver float64, err error) {
	batches := make(chan []any, burst/10+1)
	for i := 0; i < burst; i += 10 {
		var es []any
		for j := i; j < min(i+10, burst); j++ {
			e, _ := b.entry()
			es = append(es, e)
		}
		batches <- es
	}
	close(batches)
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	start := time.Now()
	for range 4 {
		wg.Go(func() {
			for es := range batches {
				if err := b.api.Call(context.Background(), "AWSEvents.PutEvents", "events", map[string]any{"Entries": es}, nil); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	put := time.Since(start)
	select {
	case err := <-errs:
		return 0, 0, err
	default:
	}
	first := b.seq - burst + 1
	deadline := time.Now().Add(10 * waitLimit)
	var lastAt time.Time
	for i := first; i <= b.seq; i++ {
		at, ok := b.rcv.waitFor("put-"+strconv.Itoa(i), time.Until(deadline))
		if !ok {
			return 0, 0, fmt.Errorf("event put-%d never arrived", i)
		}
		lastAt = maxTime(lastAt, at)
	}
	return float64(burst) / put.Seconds(), float64(burst) / lastAt.Sub(start).Seconds(), nil
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
