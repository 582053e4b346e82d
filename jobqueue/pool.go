package jobqueue

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
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
	Report ReportFunc
	Types  []sluice.ActionTypeID
	Size   int
	Worker string // the lease owner name, unique per process start
	Log    *slog.Logger

	mu      sync.Mutex
	free    int // workers neither running nor reserved for a job (<= 0 once stopped)
	direct  chan *sluice.Job
	running map[string]context.CancelFunc
	freed   Signal     // a worker slot came back: workers that found none look again
	idle    testSignal // a worker is about to wait for work
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
			p.mu.Lock()
			p.free-- // a stopped worker takes no more reservations
			p.mu.Unlock()
		}()
	}
}

// Wait blocks until every worker has returned.
func (p *Pool) Wait() { p.wg.Wait() }

// Reserve takes a free worker for a job the engine is about to queue, claiming the job for
// it as ClaimJobs would (Acknowledged: in-process workers need no AcknowledgeJob).
func (p *Pool) Reserve(job *sluice.Job, now time.Time) bool {
	if !p.runs(job.ActionType) || job.Data.Configuration[sluice.WorkerLabelKey] != "" || !p.take() {
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
	if p.free <= 0 {
		return false
	}
	p.free--
	return true
}

func (p *Pool) give() {
	p.mu.Lock()
	p.free++
	p.mu.Unlock()
	p.freed.Notify()
}

func (p *Pool) loop(ctx context.Context) {
	seen := p.Queue.Wakes() - 1 // look at the queue once at start
	for ctx.Err() == nil {
		job := p.next(ctx, &seen)
		if job == nil {
			continue
		}
		res, ok := p.run(ctx, job)
		p.give() // before reporting: a job the result starts can come straight to this worker
		if ok {
			p.Report.Settle(ctx, job, res, p.Log)
		}
	}
}

// next returns a job this worker runs, holding a worker slot for it, or nil when ctx ended.
// It looks at the queue only when something was queued since it last found it empty, so a
// worker going idle costs no transaction.
func (p *Pool) next(ctx context.Context, seen *uint64) *sluice.Job {
	idle := time.NewTimer(safetyNet) // look at the queue now and then
	defer idle.Stop()
	for {
		woken, freed := p.Queue.signal.C(), p.freed.C()
		var noSlot <-chan struct{} // freed, while every slot is taken
		select {
		case j := <-p.direct:
			return j
		default:
		}
		if w := p.Queue.Wakes(); w != *seen {
			j, err := p.claim(ctx)
			switch {
			case j != nil:
				return j
			case err == nil:
				*seen = w // the queue had nothing for us
			case errors.Is(err, errNoSlot):
				// Every slot is reserved for a delivery: wait for it, or for a slot to come
				// back (a released reservation) and look then.
				noSlot = freed
			case ctx.Err() != nil:
				return nil
			default:
				continue // the store failed (claim backed off): look again
			}
		}
		p.idle.signal()
		select {
		case j := <-p.direct:
			return j
		case <-woken:
		case <-noSlot:
		case <-idle.C:
			idle.Reset(safetyNet)
			*seen-- // look again
		case <-ctx.Done():
			return nil
		}
	}
}

// errNoSlot says claim found every worker slot running or reserved.
var errNoSlot = errors.New("no free worker")

// claim takes one queued job, holding a worker slot for it; it returns no job and no error
// when nothing is queued, and errNoSlot when no slot is free.
func (p *Pool) claim(ctx context.Context) (*sluice.Job, error) {
	if !p.take() {
		return nil, errNoSlot
	}
	jobs, err := p.Queue.Claim(ctx, sluice.ClaimParams{Worker: p.Worker, Types: p.Types, Limit: 1, Acknowledge: true,
		Labels: []string{""}}) // labelled jobs are for the `sluice worker` processes that carry the label
	if err == nil && len(jobs) > 0 {
		return jobs[0], nil
	}
	p.give()
	if err != nil && ctx.Err() == nil {
		p.Log.Error("claim jobs", "err", err)
		sleepCtx(ctx, time.Second) // the store is failing: do not spin
	}
	return nil, err
}

// run runs a job; ok is false when the pool is stopping and the result must not be reported.
func (p *Pool) run(ctx context.Context, job *sluice.Job) (res sluice.JobResult, ok bool) {
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
	stop := p.Queue.KeepLease(jobCtx, job, p.Log, func(err error) {
		// The job is gone (its pipeline was deleted) or no longer this worker's: stop it
		// rather than let it run, and deploy, to its deadline.
		p.Log.Warn("the job was closed under its worker; stopping it", "job", job.ID, "err", err)
		p.Cancel(job.ID)
	})
	res = p.Runner.Run(jobCtx, job)
	stop()
	// Shutting down: the lease expires and the rescuer (or start-up recovery) reports the
	// interruption.
	return res, ctx.Err() == nil
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
