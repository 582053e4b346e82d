package faults

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// schedule is the faults of one run, drawn from the seed: kills of a random replica, and a
// few of the worker, each at a random point of the workload (once the driver has started so
// many executions, then after a random delay of up to 1.5 s), and, on PostgreSQL, one
// restart of the database at a random point in the middle third, during which a random
// replica and the worker are killed and started again (the replica waits for the database,
// the worker for a server that answers). With replicas, one kill
// in the first third leaves its replica down for longer than a job's lease, so that the
// rescuer (on another replica) takes the jobs it held.
type schedule struct {
	replicas  int
	kills     []fault
	pgRestart *fault
	done      *atomic.Int64 // faults applied so far
	down      *atomic.Int64 // the replica left down now, -1 when none
}

// longDown is how long the long kill leaves its replica down: past a job's lease (30 s)
// and the rescuer's next round (every 10 s).
const longDown = 45 * time.Second

type fault struct {
	after   int           // executions started before it
	delay   time.Duration // then this long
	replica int           // the process killed: a server's index, or replicas for the worker
	during  time.Duration // the restart of PostgreSQL only: when, after it began, replica is killed
	worker  time.Duration // the restart of PostgreSQL only: when, after it began, the worker is killed
	down    time.Duration // a kill only: how long the process stays down (0: started again at once)
}

func drawSchedule(rng *rand.Rand, kills, workerKills, total, replicas int, postgres bool) schedule {
	s := schedule{replicas: replicas, done: new(atomic.Int64), down: new(atomic.Int64)}
	s.down.Store(-1)
	for i := range kills + workerKills {
		k := fault{after: rng.IntN(total), delay: time.Duration(rng.IntN(1500)) * time.Millisecond, replica: replicas}
		if i < kills {
			k.replica = rng.IntN(replicas)
		}
		s.kills = append(s.kills, k)
	}
	if replicas > 1 {
		s.kills = append(s.kills, fault{after: rng.IntN(total / 3), delay: time.Duration(rng.IntN(1500)) * time.Millisecond,
			replica: rng.IntN(replicas), down: longDown})
	}
	slices.SortStableFunc(s.kills, func(a, b fault) int { return a.after - b.after })
	if postgres {
		s.pgRestart = &fault{after: total/3 + rng.IntN(total/3), delay: time.Duration(rng.IntN(1500)) * time.Millisecond,
			replica: rng.IntN(replicas), during: time.Duration(rng.IntN(300)) * time.Millisecond,
			worker: time.Duration(rng.IntN(300)) * time.Millisecond}
	}
	return s
}

func (s schedule) String() string {
	out := "kills (after starts+delay→replica):"
	for _, k := range s.kills {
		who := fmt.Sprintf("r%d", k.replica+1)
		if k.replica == s.replicas {
			who = "w"
		}
		out += fmt.Sprintf(" %d+%s→%s", k.after, k.delay, who)
		if k.down > 0 {
			out += fmt.Sprintf(" (down %s)", k.down)
		}
	}
	if s.pgRestart != nil {
		out += fmt.Sprintf("; PostgreSQL restart after %d+%s, r%d killed %s and w %s into it", s.pgRestart.after,
			s.pgRestart.delay, s.pgRestart.replica+1, s.pgRestart.during, s.pgRestart.worker)
	}
	return out
}

// run applies the schedule, one fault at a time, each once started() has reached its
// point: a kill is SIGKILL, waiting for the process to be gone, a "kill" journal line, and
// a start of a new process on the same address, data directory and database; the restart
// of PostgreSQL is followed by a "pgrestart" line. A fault that cannot be applied ends the
// run with an error.
func (s schedule) run(ctx context.Context, h *harness, started func() int) error {
	var downs sync.WaitGroup // the long kill's later start
	defer downs.Wait()
	pgDone := s.pgRestart == nil
	for _, k := range s.kills {
		if !pgDone && s.pgRestart.after <= k.after {
			if err := s.restartPostgres(ctx, h, started); err != nil {
				return err
			}
			pgDone = true
		}
		if err := waitPoint(ctx, k, started); err != nil {
			return err
		}
		i := s.up(k.replica)
		srv := h.processes()[i]
		h.journal.Event("kill %s", srv.Kill())
		s.done.Add(1)
		if k.down > 0 {
			s.down.Store(int64(i))
			downs.Go(func() {
				select {
				case <-ctx.Done():
				case <-time.After(k.down):
				}
				if err := srv.Start(ctx); err != nil && ctx.Err() == nil {
					h.Add("start %s after it was down %s: %v\n%s", srv.Name, k.down, err, tail(srv.LogPath()))
				}
				s.down.Store(-1)
			})
			continue
		}
		if err := srv.Start(ctx); err != nil {
			return fmt.Errorf("restart %s after its kill: %w\n%s", srv.Name, err, tail(srv.LogPath()))
		}
	}
	if !pgDone {
		return s.restartPostgres(ctx, h, started)
	}
	return nil
}

func (s schedule) restartPostgres(ctx context.Context, h *harness, started func() int) error {
	if err := waitPoint(ctx, *s.pgRestart, started); err != nil {
		return err
	}
	restarted := make(chan error, 1)
	go func() { restarted <- h.pg.Restart() }()
	worker := make(chan error, 1)
	go func() {
		time.Sleep(s.pgRestart.worker)
		h.journal.Event("kill %s", h.worker.Kill())
		s.done.Add(1)
		worker <- h.worker.Start(ctx)
	}()
	time.Sleep(s.pgRestart.during)
	srv := h.servers[s.up(s.pgRestart.replica)]
	h.journal.Event("kill %s", srv.Kill())
	s.done.Add(1)
	back := make(chan error, 1)
	go func() { back <- srv.Start(ctx) }() // it waits for the database
	if err := <-restarted; err != nil {
		return fmt.Errorf("%w\n%s", err, tail(h.pg.Log()))
	}
	h.journal.Event("pgrestart")
	s.done.Add(1)
	if err := <-back; err != nil {
		return fmt.Errorf("restart %s during PostgreSQL's restart: %w\n%s", srv.Name, err, tail(srv.LogPath()))
	}
	if err := <-worker; err != nil {
		return fmt.Errorf("restart the worker during PostgreSQL's restart: %w\n%s", err, tail(h.worker.LogPath()))
	}
	return nil
}

// up is the process to kill in place of i: i, unless i is the replica left down, then the
// next replica.
func (s schedule) up(i int) int {
	if int64(i) == s.down.Load() {
		return (i + 1) % s.replicas
	}
	return i
}

// Done is the count of faults applied so far.
func (s schedule) Done() int { return int(s.done.Load()) }

// waitPoint waits until the driver has started f.after executions, then f.delay.
func waitPoint(ctx context.Context, f fault, started func() int) error {
	for started() < f.after {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond): // the driver's count, polled
		}
	}
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(f.delay):
		return nil
	}
}
