package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/codecommit"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"

	"sluice/bench/internal/benchserver"
	"sluice/bench/internal/stats"
)

const repo = "load"

// load is the bench's client of one server and the pipelines it drives.
type load struct {
	cp       *codepipeline.Client
	requests *counter
	pipes    []*pipe
}

// setUp creates the hosted repository (one commit) and the pipelines, and waits for the
// executions CreatePipeline starts to end.
func setUp(srv *benchserver.Server, dir string, o options) (*load, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cfg := aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider(benchserver.KeyID, benchserver.Secret, "")}
	c := &counter{next: &http.Transport{MaxIdleConnsPerHost: o.pipelines * o.inflight, IdleConnTimeout: time.Minute}}
	cfg.HTTPClient = &http.Client{Transport: c}
	// A thousand clients share this one SDK client: its retries are not rationed by one
	// client-side token bucket (each client of a real fleet has its own), and a request the
	// server sheds (503 while -max-unauthenticated requests are being authenticated) is tried
	// up to 20 times with the SDK's backoff. The counter counts every retry.
	cfg.Retryer = func() aws.Retryer {
		return retry.NewStandard(func(o *retry.StandardOptions) { o.MaxAttempts = 20; o.RateLimiter = ratelimit.None })
	}
	l := &load{cp: codepipeline.NewFromConfig(cfg, func(o *codepipeline.Options) { o.BaseEndpoint = aws.String(srv.URL) }), requests: c}
	cc := codecommit.NewFromConfig(cfg, func(o *codecommit.Options) { o.BaseEndpoint = aws.String(srv.URL) })
	if _, err := cc.CreateRepository(ctx, &codecommit.CreateRepositoryInput{RepositoryName: aws.String(repo)}); err != nil {
		return nil, err
	}
	if err := benchserver.SeedRepo(dir, srv.Addr, repo); err != nil {
		return nil, err
	}
	for i := range o.pipelines {
		p := &pipe{name: fmt.Sprintf("load%02d", i), cp: l.cp, waiting: map[string]chan<- ended{}}
		if _, err := l.cp.CreatePipeline(ctx, &codepipeline.CreatePipelineInput{Pipeline: declaration(p.name)}); err != nil {
			return nil, err
		}
		l.pipes = append(l.pipes, p)
	}
	for _, p := range l.pipes {
		if err := benchserver.AwaitFirstExecution(ctx, l.cp, p.name); err != nil {
			return nil, fmt.Errorf("%s: %w", p.name, err)
		}
	}
	return l, nil
}

// result is what a run measured.
type result struct {
	executions     int
	started, drain time.Duration // to the last first start's answer; to the last end seen
	durations      durations     // each execution's, from its startTime to its lastUpdateTime
	refused        int64
	requests       *counter
}

// run keeps o.inflight executions of every pipeline in flight, o.rounds per slot, and
// fails unless every one succeeds.
func (l *load) run(o options) (result, error) {
	ctx, cancel := context.WithTimeout(context.Background(), o.timeout)
	defer cancel()
	pollCtx, stopPolls := context.WithCancel(ctx)
	var polls sync.WaitGroup
	for _, p := range l.pipes {
		polls.Add(1)
		go func() { defer polls.Done(); p.poll(pollCtx, o.poll) }()
	}
	var (
		refused  atomic.Int64
		firsts   sync.WaitGroup
		slots    sync.WaitGroup
		mu       sync.Mutex
		ds       durations
		errs     []error
		begin    = time.Now()
		started  time.Duration
		startsMu sync.Once
	)
	firsts.Add(o.pipelines * o.inflight)
	for _, p := range l.pipes {
		for slot := range o.inflight {
			slots.Add(1)
			go func() {
				defer slots.Done()
				for round := range o.rounds {
					e, err := p.execute(ctx, fmt.Sprintf("%s-%d-%d", p.name, slot, round), &refused, func() {
						if round == 0 {
							firsts.Done()
						}
					})
					mu.Lock()
					if err != nil {
						errs = append(errs, err)
					} else {
						ds = append(ds, e.duration)
					}
					mu.Unlock()
					if err != nil {
						if round == 0 && e.id == "" {
							firsts.Done()
						}
						return
					}
				}
			}()
		}
	}
	go func() {
		firsts.Wait()
		startsMu.Do(func() { mu.Lock(); started = time.Since(begin); mu.Unlock() })
	}()
	slots.Wait()
	drain := time.Since(begin)
	stopPolls()
	polls.Wait()
	if len(errs) > 0 {
		l.stuck(context.Background())
		return result{}, fmt.Errorf("%d of %d executions did not succeed; the first: %w", len(errs), o.pipelines*o.inflight*o.rounds, errs[0])
	}
	mu.Lock()
	defer mu.Unlock()
	return result{executions: len(ds), started: started, drain: drain, durations: ds, refused: refused.Load(), requests: l.requests}, nil
}

// stuck lists the executions still in progress and their actions' states.
func (l *load) stuck(ctx context.Context) {
	for _, p := range l.pipes {
		for _, id := range p.inFlight() {
			out, err := l.cp.ListActionExecutions(ctx, &codepipeline.ListActionExecutionsInput{PipelineName: aws.String(p.name),
				Filter: &types.ActionExecutionFilter{PipelineExecutionId: aws.String(id)}})
			if err != nil {
				fmt.Printf("still in flight: %s %s (actions: %v)\n", p.name, id, err)
				continue
			}
			var acts []string
			for _, a := range out.ActionExecutionDetails {
				acts = append(acts, fmt.Sprintf("%s/%s %s", aws.ToString(a.StageName), aws.ToString(a.ActionName), a.Status))
			}
			fmt.Printf("still in flight: %s %s: %s\n", p.name, id, strings.Join(acts, ", "))
		}
	}
}

// pipe is one pipeline and the executions the bench waits for, polled together.
type pipe struct {
	name    string
	cp      *codepipeline.Client
	mu      sync.Mutex
	waiting map[string]chan<- ended
}

// ended is an execution's end, as its summary shows it.
type ended struct {
	id       string
	status   types.PipelineExecutionStatus
	summary  string
	duration time.Duration
}

// execute starts an execution, retrying while the server refuses it for the pipeline's
// in-flight quota, calls accepted once the server has accepted it, and waits until it ends.
func (p *pipe) execute(ctx context.Context, token string, refused *atomic.Int64, accepted func()) (ended, error) {
	var id string
	for try := 0; ; try++ {
		out, err := p.cp.StartPipelineExecution(ctx, &codepipeline.StartPipelineExecutionInput{Name: aws.String(p.name),
			ClientRequestToken: aws.String(fmt.Sprintf("%s-%d", token, try))})
		var limit *types.ConcurrentPipelineExecutionsLimitExceededException
		if errors.As(err, &limit) {
			refused.Add(1)
			time.Sleep(200 * time.Millisecond) // a client backing off before it tries again
			continue
		}
		if err != nil {
			return ended{}, fmt.Errorf("start %s: %w", p.name, err)
		}
		id = aws.ToString(out.PipelineExecutionId)
		break
	}
	ch := make(chan ended, 1)
	p.mu.Lock()
	p.waiting[id] = ch
	p.mu.Unlock()
	accepted()
	select {
	case e := <-ch:
		if e.status != types.PipelineExecutionStatusSucceeded {
			return e, fmt.Errorf("%s execution %s ended %s: %s", p.name, id, e.status, e.summary)
		}
		return e, nil
	case <-ctx.Done():
		return ended{id: id}, fmt.Errorf("%s execution %s: %w", p.name, id, ctx.Err())
	}
}

// poll reports the ends of the executions waited for, listing the pipeline's newest
// executions every interval and asking for those not among them one by one.
func (p *pipe) poll(ctx context.Context, interval time.Duration) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(interval):
		}
		if len(p.inFlight()) == 0 {
			continue
		}
		p.listEnds(ctx)
	}
}

// listEnds reports the ends among the pipeline's executions, newest first, paging on while
// an execution waited for is not among those listed yet (at most 10 pages).
func (p *pipe) listEnds(ctx context.Context) {
	var token *string
	asked := p.inFlight() // those started later may be on no page yet
	for range 10 {
		out, err := p.cp.ListPipelineExecutions(ctx, &codepipeline.ListPipelineExecutionsInput{PipelineName: aws.String(p.name),
			MaxResults: aws.Int32(100), NextToken: token})
		if err != nil {
			return // the SDK retried; the next round asks again
		}
		listed := map[string]bool{}
		for _, s := range out.PipelineExecutionSummaries {
			p.report(aws.ToString(s.PipelineExecutionId), s.Status, aws.ToString(s.StatusSummary), s.StartTime, s.LastUpdateTime)
			listed[aws.ToString(s.PipelineExecutionId)] = true
		}
		if token = out.NextToken; token == nil {
			return
		}
		more := false
		for _, id := range asked {
			more = more || !listed[id]
		}
		if !more {
			return
		}
	}
}

func (p *pipe) report(id string, status types.PipelineExecutionStatus, summary string, start, last *time.Time) {
	if status == types.PipelineExecutionStatusInProgress || status == types.PipelineExecutionStatusStopping {
		return
	}
	p.mu.Lock()
	ch := p.waiting[id]
	delete(p.waiting, id)
	p.mu.Unlock()
	if ch != nil {
		ch <- ended{id: id, status: status, summary: summary, duration: aws.ToTime(last).Sub(aws.ToTime(start))}
	}
}

func (p *pipe) inFlight() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var ids []string
	for id := range p.waiting {
		ids = append(ids, id)
	}
	return ids
}

// counter counts the requests sent and the answers of status 5xx, per operation, and the
// SDK's retries.
type counter struct {
	next    http.RoundTripper
	mu      sync.Mutex
	sent    map[string]int // per operation (X-Amz-Target's after the dot)
	shed    map[string]int // 5xx answers, per operation
	retried atomic.Int64
}

func (c *counter) RoundTrip(r *http.Request) (*http.Response, error) {
	_, op, _ := strings.Cut(r.Header.Get("X-Amz-Target"), ".")
	c.mu.Lock()
	if c.sent == nil {
		c.sent, c.shed = map[string]int{}, map[string]int{}
	}
	c.sent[op]++
	c.mu.Unlock()
	if a := r.Header.Get("Amz-Sdk-Request"); a != "" && !strings.HasPrefix(a, "attempt=1;") {
		c.retried.Add(1)
	}
	resp, err := c.next.RoundTrip(r)
	if err == nil && resp.StatusCode >= 500 {
		c.mu.Lock()
		c.shed[op]++
		c.mu.Unlock()
	}
	return resp, err
}

// retries are the requests sent beyond one per call: the SDK's retries, which it numbers
// in each attempt's amz-sdk-request header (attempt=2; max=3).
func (c *counter) retries() int64 { return c.retried.Load() }

// String lists the requests sent and the 5xx answers per operation.
func (c *counter) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var ops []string
	for op := range c.sent {
		ops = append(ops, op)
	}
	slices.Sort(ops)
	var b strings.Builder
	for _, op := range ops {
		fmt.Fprintf(&b, "  %-28s %7d sent, %6d answered 5xx\n", op, c.sent[op], c.shed[op])
	}
	return b.String()
}

// durations are samples of one measure.
type durations = stats.Durations

// declaration is a PARALLEL pipeline: a CodeCommit source, then three sequential Commands
// actions that run `true`.
func declaration(name string) *types.PipelineDeclaration {
	commands := types.ActionTypeId{Category: types.ActionCategoryCompute, Owner: types.ActionOwnerAws, Provider: aws.String("Commands"), Version: aws.String("1")}
	var run []types.ActionDeclaration
	for i, a := range []string{"Build", "Test", "Deploy"} {
		run = append(run, types.ActionDeclaration{Name: aws.String(a), RunOrder: aws.Int32(int32(i + 1)), ActionTypeId: &commands,
			Commands: []string{"true"}, InputArtifacts: []types.InputArtifact{{Name: aws.String("Code")}}})
	}
	return &types.PipelineDeclaration{Name: aws.String(name), RoleArn: aws.String("arn:aws:iam::000000000000:role/bench"),
		PipelineType: types.PipelineTypeV2, ExecutionMode: types.ExecutionModeParallel,
		ArtifactStore: &types.ArtifactStore{Type: types.ArtifactStoreTypeS3, Location: aws.String("bench")},
		Stages: []types.StageDeclaration{
			{Name: aws.String("Source"), Actions: []types.ActionDeclaration{{Name: aws.String("Source"),
				ActionTypeId:    &types.ActionTypeId{Category: types.ActionCategorySource, Owner: types.ActionOwnerAws, Provider: aws.String("CodeCommit"), Version: aws.String("1")},
				Configuration:   map[string]string{"RepositoryName": repo, "BranchName": "main", "PollForSourceChanges": "false"},
				OutputArtifacts: []types.OutputArtifact{{Name: aws.String("Code")}}}}},
			{Name: aws.String("Run"), Actions: run}}}
}
