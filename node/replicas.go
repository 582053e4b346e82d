package node

import (
	"context"
	"sluice"
	"syscall"
	"time"
)

// replicated says whether this server is one of several replicas on one database: on
// PostgreSQL it may be, so it behaves as one (node/leader.go, lockReplica).
func (n *Node) replicated() bool { return n.Config.Database.Postgres() }

// lockDataDir takes the data directory as this server's layout allows.
func (n *Node) lockDataDir() (*dirLock, error) {
	if n.replicated() {
		return lockReplica(n.Config.DataDir)
	}
	return lockDataDir(n.Config.DataDir)
}

// Leader reports whether this server runs the work done once: always for a server alone on
// its database, and for one replica at a time (the lease's holder) on PostgreSQL.
func (n *Node) Leader() bool { return n.lease == nil || n.lease.Held() }

// once runs tasks, the work that must run once per database: at once for a server alone,
// under the leader lease for replicas.
func (n *Node) once(ctx context.Context, tasks []func(context.Context)) {
	if !n.replicated() {
		for _, t := range tasks {
			n.wg.Go(func() { t(ctx) })
		}
		return
	}
	ttl := n.Options.LeaderLease
	if ttl <= 0 {
		ttl = defaultLeaderLease
	}
	n.lease = &leader{store: n.DB, holder: n.ServerID, ttl: ttl, log: n.Log, changed: n.Options.OnLeader,
		tasks: append(tasks, n.sweepDeliveries, n.followTimers)}
	taken := n.lease.Take(ctx)
	n.wg.Go(func() { n.lease.Run(ctx, taken) })
}

// deliveryCutShort is how old an unfinished webhook delivery must be for the leader to take
// it for cut short by a replica's death: handling one takes seconds.
const deliveryCutShort = 5 * time.Minute

// sweepDeliveries releases, every minute, the webhook deliveries a dead replica left
// unfinished, so that the host's redeliveries are taken.
func (n *Node) sweepDeliveries(ctx context.Context) {
	n.repeat(ctx, time.Minute, "sweep webhook deliveries", func(ctx context.Context) error {
		return n.interruptDeliveries(ctx, time.Now().Add(-deliveryCutShort))
	})
}

// followTimers wakes the leader's timers for the deadlines other replicas' commits set
// (a server's own commits schedule them directly, node.applied).
func (n *Node) followTimers(ctx context.Context) {
	wake, err := n.DB.Listen(ctx, sluice.TopicTimers)
	if err != nil {
		n.Log.Error("listen for deadlines", "err", err)
		return
	}
	for range wake {
		n.timers.Wake()
	}
}

// buildLocked builds the server; replicas build one at a time, so that the first one makes
// the data directory's keys and the others read them.
func (n *Node) buildLocked(ctx context.Context) error {
	if !n.replicated() {
		return n.build(ctx)
	}
	f, err := lockInit(n.Config.DataDir)
	if err != nil {
		return err
	}
	defer func() {
		syscall.ForkLock.RLock() // as unlock: no child may keep the lock past its exec
		f.Close()
		syscall.ForkLock.RUnlock()
	}()
	return n.build(ctx)
}
