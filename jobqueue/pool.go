package jobqueue

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"sluice"
)

// Runner runs one job to its result.
type Runner interface {
	Run(ctx context.Context, job *sluice.Job) sluice.JobResult
}

// Pool is the server's in-process workers: Size goroutines that claim jobs of Types (already
// acknowledged: no second round trip), run them, heartbeat their leases, and report.
type Pool struct {
	Queue  *Queue
	Runner Runner
	Report func(context.Context, *sluice.Job, sluice.JobResult) error
	Types  []sluice.ActionTypeID
	Size   int
	Worker string // the lease owner name, unique per process start
	Log    *slog.Logger

	mu      sync.Mutex
	running map[string]context.CancelFunc
	wg      sync.WaitGroup
}

// Start launches the workers; they stop when ctx ends. Wait blocks until they have.
func (p *Pool) Start(ctx context.Context) {
	p.running = map[string]context.CancelFunc{}
	for range max(p.Size, 1) {
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			p.loop(ctx)
		}()
	}
}

// Wait blocks until every worker has returned.
func (p *Pool) Wait() { p.wg.Wait() }

// Cancel stops a running job (its action was abandoned or timed out).
func (p *Pool) Cancel(jobID string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if cancel, ok := p.running[jobID]; ok {
		cancel()
	}
}

func (p *Pool) loop(ctx context.Context) {
	params := sluice.ClaimParams{Worker: p.Worker, Types: p.Types, Limit: 1, Acknowledge: true}
	for ctx.Err() == nil {
		jobs, err := p.Queue.Wait(ctx, params, time.Minute)
		if err != nil {
			if ctx.Err() == nil {
				p.Log.Error("claim jobs", "err", err)
				sleepCtx(ctx, time.Second) // the store is failing: do not spin
			}
			continue
		}
		for _, j := range jobs {
			p.run(ctx, j)
		}
	}
}

func (p *Pool) run(ctx context.Context, job *sluice.Job) {
	jobCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	p.mu.Lock()
	p.running[job.ID] = cancel
	p.mu.Unlock()
	defer func() {
		p.mu.Lock()
		delete(p.running, job.ID)
		p.mu.Unlock()
	}()
	stop := p.heartbeat(jobCtx, job)
	res := p.Runner.Run(jobCtx, job)
	stop()
	if ctx.Err() != nil {
		return // shutting down: the lease expires and the rescuer reports the interruption
	}
	res.JobID, res.Nonce = job.ID, job.Nonce
	// A job closed meanwhile (abandoned, timed out) or deleted with its pipeline needs no report.
	if err := p.Report(ctx, job, res); err != nil && !sluice.IsCode(err, sluice.EInvalidJobState) && !sluice.IsCode(err, sluice.ENotFound) {
		p.Log.Error("report job result", "job", job.ID, "err", err)
	}
}

// heartbeat extends the job's lease every third of the lease until stopped.
func (p *Pool) heartbeat(ctx context.Context, job *sluice.Job) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(p.Queue.Lease / 3)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				until := p.Queue.Clock.Now().Add(p.Queue.Lease)
				if err := p.Queue.Store.ExtendLease(ctx, job.ID, job.Nonce, until); err != nil && ctx.Err() == nil {
					p.Log.Warn("extend lease", "job", job.ID, "err", err)
				}
			}
		}
	}()
	return func() { cancel(); <-done }
}

func sleepCtx(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
