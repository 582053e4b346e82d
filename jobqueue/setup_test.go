package jobqueue

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/catalog"
	"sluice/engine"
	"sluice/store/sqlite"
)

// patience bounds every wait on a signal: a test that gets there has hung, it is not slow.
const patience = 10 * time.Second

// lease is long enough that no heartbeat ticks during a test; expiry is the clock's business.
const lease = time.Hour

var (
	sourceType   = sluice.ActionTypeID{Category: sluice.CategorySource, Owner: sluice.OwnerAWS, Provider: "CodeCommit", Version: "1"}
	commandsType = sluice.ActionTypeID{Category: sluice.CategoryCompute, Owner: sluice.OwnerAWS, Provider: "Commands", Version: "1"}
)

// clock is a pinned clock the test moves forward.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// seqIDs makes UUID-shaped ids from a counter.
type seqIDs struct{ n atomic.Int64 }

func (s *seqIDs) NewID() string { return fmt.Sprintf("00000000-0000-4000-8000-%012d", s.n.Add(1)) }

// fake is the Runner: every Run hands its job to the test as a call and blocks until the test
// finishes the call or the job's context ends.
type fake struct{ calls chan *call }

type call struct {
	job  *sluice.Job
	ctx  context.Context
	done chan sluice.JobResult
}

func (f *fake) Run(ctx context.Context, job *sluice.Job) sluice.JobResult {
	c := &call{job: job, ctx: ctx, done: make(chan sluice.JobResult, 1)}
	stopped := sluice.JobResult{ErrorType: sluice.FailureJobFailed, ErrorMessage: "stopped"}
	select {
	case f.calls <- c:
	case <-ctx.Done():
		return stopped
	}
	select {
	case res := <-c.done:
		return res
	case <-ctx.Done():
		return stopped
	}
}

func (c *call) succeed() { c.done <- sluice.JobResult{Success: true, Summary: "done"} }

func (c *call) fail(msg string) {
	c.done <- sluice.JobResult{ErrorType: sluice.FailureJobFailed, ErrorMessage: msg}
}

// spy is the job store as the queue sees it: it records every job a claim returned and, when
// claims is set, sends each claim's jobs there.
type spy struct {
	sluice.JobStore
	mu      sync.Mutex
	claimed map[string]bool
	claims  chan []*sluice.Job
	broken  atomic.Bool // the next claim fails
}

var errBroken = errors.New("the store is down")

func (s *spy) ClaimJobs(ctx context.Context, p sluice.ClaimParams) ([]*sluice.Job, error) {
	if s.broken.CompareAndSwap(true, false) {
		return nil, errBroken
	}
	jobs, err := s.JobStore.ClaimJobs(ctx, p)
	s.mu.Lock()
	for _, j := range jobs {
		s.claimed[j.ID] = true
	}
	s.mu.Unlock()
	if s.claims != nil {
		s.claims <- jobs
	}
	return jobs, err
}

func (s *spy) wasClaimed(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.claimed[id]
}

// report is one result a pool worker reported, with the engine's answer.
type report struct {
	job *sluice.Job
	res sluice.JobResult
	err error
}

// bundle is one test's world: a SQLite store, the engine on it, a queue and an unstarted pool
// whose runner is the fake. The queue follows the store's wake-ups and Engine.Applied is
// wired as the server wires them.
type bundle struct {
	t       *testing.T
	ctx     context.Context
	clock   *clock
	db      *sqlite.DB
	spy     *spy
	engine  *engine.Engine
	queue   *Queue
	pool    *Pool
	fake    *fake
	reports chan report
}

func setup(t *testing.T) *bundle {
	t.Helper()
	clk := &clock{now: time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)}
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "sluice.db"), sqlite.WithClock(clk))
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, db.Close()) })
	log := slog.New(slog.DiscardHandler)
	b := &bundle{t: t, ctx: t.Context(), clock: clk, db: db, spy: &spy{JobStore: db, claimed: map[string]bool{}},
		fake: &fake{calls: make(chan *call)}, reports: make(chan report, 64)}
	b.engine = &engine.Engine{Store: db, Clock: clk, IDs: &seqIDs{}, Account: "000000000000", Region: "us-east-1",
		Lookup: catalog.With(), Log: log}
	b.queue = &Queue{Store: b.spy, Clock: clk, Lease: lease}
	b.pool = &Pool{Queue: b.queue, Runner: b.fake, Types: []sluice.ActionTypeID{sourceType, commandsType},
		Worker: "local:test", Log: log, Report: func(ctx context.Context, j *sluice.Job, res sluice.JobResult) error {
			err := b.engine.ReportJob(ctx, j, res)
			b.reports <- report{job: j, res: res, err: err}
			return err
		}}
	require.NoError(t, b.queue.Follow(b.ctx, db))
	b.engine.Applied = func(p *sluice.Plan) {
		for _, c := range p.Jobs {
			if c.From.Open() && !c.Row.Status.Open() {
				b.pool.Cancel(c.Row.ID)
			}
		}
	}
	return b
}

// start runs the pool with size workers as the engine's dispatcher until the test ends (or
// stop), and returns once every worker has looked at the queue and waits for work.
func (b *bundle) start(size int) (stop func()) {
	b.t.Helper()
	b.pool.Size = size
	b.pool.idle.init()
	ctx, cancel := context.WithCancel(b.ctx)
	b.pool.Start(ctx)
	b.engine.Dispatcher = b.pool
	stop = func() { cancel(); b.pool.Wait() }
	b.t.Cleanup(stop)
	for range size {
		b.idle()
	}
	return stop
}

// idle waits until a worker is about to wait for work.
func (b *bundle) idle() {
	b.t.Helper()
	select {
	case <-b.pool.idle.ch:
	case <-time.After(patience):
		b.t.Fatal("no worker went idle")
	}
}

// declaration is a valid V2 pipeline: a CodeCommit Source stage, then a Build stage with one
// Commands action per name, all at runOrder 1 (they run in parallel).
func declaration(name string, build ...string) sluice.PipelineDeclaration {
	d := sluice.PipelineDeclaration{
		Name:          name,
		RoleArn:       "arn:aws:iam::000000000000:role/sluice-pipeline",
		ArtifactStore: &sluice.ArtifactStoreDecl{Type: "S3", Location: "sluice-artifacts"},
		PipelineType:  "V2",
		Stages: []sluice.StageDeclaration{
			{Name: "Source", Actions: []sluice.ActionDeclaration{{
				Name: "Source", ActionTypeID: sourceType,
				Configuration:   map[string]string{"RepositoryName": "app", "BranchName": "main", "PollForSourceChanges": "false"},
				OutputArtifacts: []sluice.OutputArtifact{{Name: "Code"}},
			}}},
			{Name: "Build"},
		},
	}
	for _, n := range build {
		d.Stages[1].Actions = append(d.Stages[1].Actions, sluice.ActionDeclaration{
			Name: n, ActionTypeID: commandsType, RunOrder: 1,
			InputArtifacts: []sluice.InputArtifact{{Name: "Code"}}, Commands: []string{"make " + n},
		})
	}
	return d
}

// create stores decl and returns the id of the execution its creation started.
func (b *bundle) create(decl sluice.PipelineDeclaration) string {
	b.t.Helper()
	_, err := b.engine.CreatePipeline(b.ctx, decl, nil, "test")
	require.NoError(b.t, err)
	execs, _, err := b.db.ListExecutions(b.ctx, decl.Name, sluice.ExecutionFilter{})
	require.NoError(b.t, err)
	require.Len(b.t, execs, 1)
	return execs[0].ID
}

// next returns the next job a pool worker started.
func (b *bundle) next() *call {
	b.t.Helper()
	select {
	case c := <-b.fake.calls:
		return c
	case <-time.After(patience):
		b.t.Fatal("no job reached the runner")
		return nil
	}
}

// reported waits for the next result a worker reported and requires the engine took it.
func (b *bundle) reported() report {
	b.t.Helper()
	select {
	case r := <-b.reports:
		require.NoError(b.t, r.err)
		return r
	case <-time.After(patience):
		b.t.Fatal("no result was reported")
		return report{}
	}
}

func (b *bundle) depth() int {
	b.t.Helper()
	n, err := b.db.QueueDepth(b.ctx)
	require.NoError(b.t, err)
	return n
}

func (b *bundle) execStatus(pipeline, id string) sluice.ExecutionStatus {
	b.t.Helper()
	e, err := b.db.GetExecution(b.ctx, pipeline, id)
	require.NoError(b.t, err)
	return e.Status
}

func (b *bundle) job(id string) *sluice.Job {
	b.t.Helper()
	j, err := b.db.GetJob(b.ctx, id)
	require.NoError(b.t, err)
	return j
}
