package jobqueue

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"sync"
	"time"

	"sluice"
)

// Runner runs one job to its result.
type Runner interface {
	Run(ctx context.Context, job *sluice.Job) sluice.JobResult
}

// Pool is the server's in-process workers: Size goroutines that run jobs of Types. A job
// reaches them two ways: handed over by the engine as it commits (Reserve/Deliver, no claim
// round trip while a worker is free), or claimed from the queue (jobs queued while every
// worker was busy, or re-offered ones). Leases are heartbeaten; results are reported.
type Pool struct {
	Queue  *Queue
	Runner Runner
	Report func(context.Context, *sluice.Job, sluice.JobResult) error
	Types  []sluice.ActionTypeID
	Size   int
	Worker string // the lease owner name, unique per process start
	Log    *slog.Logger

	mu      sync.Mutex
	free    int // workers neither running nor reserved for a job
	direct  chan *sluice.Job
	running map[string]context.CancelFunc
	wg      sync.WaitGroup
}

// Start launches the workers; they stop when ctx ends. Wait blocks until they have.
func (p *Pool) Start(ctx context.Context) {
	p.Size = max(p.Size, 1)
	p.running = map[string]context.CancelFunc{}
	p.direct = make(chan *sluice.Job, p.Size)
	p.free = p.Size
	for range p.Size {
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			p.loop(ctx)
		}()
	}
}

// Wait blocks until every worker has returned.
func (p *Pool) Wait() { p.wg.Wait() }

// Reserve takes a free worker for a job the engine is about to queue, claiming the job for
// it as ClaimJobs would (Acknowledged: in-process workers need no AcknowledgeJob).
func (p *Pool) Reserve(job *sluice.Job, now time.Time) bool {
	if !p.runs(job.ActionType) || !p.take() {
		return false
	}
	job.Status, job.Worker, job.Nonce = sluice.JobInProgress, p.Worker, nonce()
	job.LeaseExpiresAt = now.Add(p.Queue.Lease)
	return true
}

// Release gives back the worker of a reservation whose plan did not commit.
func (p *Pool) Release(job *sluice.Job) {
	job.Status, job.Worker, job.Nonce = sluice.JobQueued, "", ""
	p.give()
}

// Deliver hands a reserved job to a worker; the reservation guarantees room in the channel.
func (p *Pool) Deliver(job *sluice.Job) {
	if job.Worker == p.Worker {
		p.direct <- job
	}
}

// Cancel stops a running job (its action was abandoned or timed out).
func (p *Pool) Cancel(jobID string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if cancel, ok := p.running[jobID]; ok {
		cancel()
	}
}

func (p *Pool) runs(t sluice.ActionTypeID) bool {
	for _, id := range p.Types {
		if id == t {
			return true
		}
	}
	return false
}

func (p *Pool) take() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.free == 0 {
		return false
	}
	p.free--
	return true
}

func (p *Pool) give() {
	p.mu.Lock()
	p.free++
	p.mu.Unlock()
}

func (p *Pool) loop(ctx context.Context) {
	seen := p.Queue.Wakes() - 1 // look at the queue once at start
	for ctx.Err() == nil {
		job := p.next(ctx, &seen)
		if job != nil {
			p.run(ctx, job)
			p.give()
		}
	}
}

// next returns a job this worker runs, holding a worker slot for it, or nil when ctx ended.
// It looks at the queue only when something was queued since it last found it empty, so a
// worker going idle costs no transaction.
func (p *Pool) next(ctx context.Context, seen *uint64) *sluice.Job {
	idle := time.NewTimer(time.Minute) // the safety net: look at the queue now and then
	defer idle.Stop()
	for {
		select {
		case j := <-p.direct:
			return j
		default:
		}
		woken := p.Queue.signal.C()
		if w := p.Queue.Wakes(); w != *seen {
			if j := p.claim(ctx); j != nil {
				return j
			}
			*seen = w
		}
		select {
		case j := <-p.direct:
			return j
		case <-woken:
		case <-idle.C:
			idle.Reset(time.Minute)
			*seen-- // look again
		case <-ctx.Done():
			return nil
		}
	}
}

// claim takes one queued job when a worker slot is free.
func (p *Pool) claim(ctx context.Context) *sluice.Job {
	if !p.take() {
		return nil
	}
	jobs, err := p.Queue.Claim(ctx, sluice.ClaimParams{Worker: p.Worker, Types: p.Types, Limit: 1, Acknowledge: true})
	if err == nil && len(jobs) > 0 {
		return jobs[0]
	}
	p.give()
	if err != nil && ctx.Err() == nil {
		p.Log.Error("claim jobs", "err", err)
		sleepCtx(ctx, time.Second) // the store is failing: do not spin
	}
	return nil
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

func nonce() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func sleepCtx(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
