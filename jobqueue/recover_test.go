package jobqueue

import (
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
)

// held creates pipeline name and has worker claim its source job.
func (b *bundle) held(name string, worker sluice.WorkerID, acknowledge bool) *sluice.Job {
	b.t.Helper()
	b.create(declaration(name, "Compile"))
	jobs, err := b.queue.Claim(b.ctx, sluice.ClaimParams{Worker: worker.String(), Acknowledge: acknowledge})
	require.NoError(b.t, err)
	require.Len(b.t, jobs, 1)
	return jobs[0]
}

// TestRecover has two servers, "a" and "b", share one store: a restarting fails only its
// own in-process jobs and leaves the others to their holders and leases.
func TestRecover(t *testing.T) {
	t.Parallel()
	b := setup(t)
	mine := b.held("mine", sluice.LocalWorker("a", "pool-1"), true)
	legacy := b.held("legacy", sluice.WorkerID{Kind: sluice.WorkerLocal, Name: "pool-0"}, true)
	theirs := b.held("theirs", sluice.LocalWorker("b", "pool-1"), true)
	remote := b.held("remote", sluice.RemoteWorker("host-1"), true)
	dispatched := b.held("dispatched", sluice.RemoteWorker("host-2"), false)
	invoked := b.held("invoked", sluice.LambdaWorker("a", "inv-1"), true)
	r := b.rescuer()
	r.Lease = 2 * lease

	b.clock.Add(lease / 2)
	require.NoError(t, r.Recover(b.ctx, "a"))

	for _, j := range []*sluice.Job{mine, legacy} {
		require.Equal(t, sluice.JobFailed, b.job(j.ID).Status, j.PipelineName)
		runs, _, err := b.db.ListActionRuns(b.ctx, j.PipelineName, sluice.ActionRunFilter{ExecutionID: j.ExecutionID})
		require.NoError(t, err)
		require.Len(t, runs, 1)
		run := runs[0]
		require.Equal(t, sluice.ActionFailed, run.Status)
		require.Equal(t, sluice.FailureSystemUnavailable, run.ErrorCode)
		require.Contains(t, run.ErrorMessage, "restarted")
	}
	for _, j := range []*sluice.Job{theirs, dispatched, invoked} {
		stored := b.job(j.ID)
		require.Equal(t, j.Status, stored.Status, j.PipelineName)
		require.Equal(t, j.LeaseExpiresAt, stored.LeaseExpiresAt, "%s keeps its lease", j.PipelineName)
	}
	stored := b.job(remote.ID)
	require.Equal(t, sluice.JobInProgress, stored.Status)
	require.Equal(t, b.clock.Now().Add(2*lease), stored.LeaseExpiresAt, "a remote worker gets a whole lease from the restart")

	require.NoError(t, r.Recover(b.ctx, "b"), "server b restarts too")
	require.Equal(t, sluice.JobFailed, b.job(theirs.ID).Status)
	require.Equal(t, sluice.JobInProgress, b.job(invoked.ID).Status, "a Lambda job waits for its function")
}
