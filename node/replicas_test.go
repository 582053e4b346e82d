package node_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codecommit"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/stretchr/testify/require"

	"sluice/node"
	"sluice/node/nodetest"
	"sluice/store/postgres/pgtest"
)

// Three replicas on one data directory and one PostgreSQL database: any of them answers any
// call, a push through one starts what a pipeline created through another watches, one of
// them leads, and when the leader stops another takes over. A server on SQLite is refused
// the replicas' data directory.
func TestReplicas(t *testing.T) {
	t.Parallel()
	rs := nodetest.Replicas(t, 3, pgtest.Schema(t))
	ctx := context.Background()
	leader := awaitLeader(t, rs, nil)

	ids := map[string]bool{}
	for _, r := range rs {
		ids[r.Node.ServerID] = true
	}
	require.Len(t, ids, 3, "each replica has a server id of its own, for its in-process jobs")

	alone := rs[0].Node.Config
	alone.Database.URL, alone.Listen = "", "127.0.0.1:0"
	_, err := node.New(ctx, alone, testOptions(t))
	require.ErrorContains(t, err, "in use by another Sluice server", "a SQLite server on the replicas' data directory")

	a, b, c := rs[0], rs[1], rs[2]
	_, err = a.CC.CreateRepository(ctx, &codecommit.CreateRepositoryInput{RepositoryName: aws.String("app")})
	require.NoError(t, err)
	_, err = b.CP.CreatePipeline(ctx, &codepipeline.CreatePipelineInput{Pipeline: appPipeline(t)})
	require.NoError(t, err)
	sha := nodetest.PushApp(t, c.Bundle, "hello") // through the third replica's git endpoint
	exec := a.ExecutionFor(t, "app", sha)
	token := b.ApprovalToken(t, "app", "Approval", "Approve")
	_, err = c.CP.PutApprovalResult(ctx, &codepipeline.PutApprovalResultInput{PipelineName: aws.String("app"),
		StageName: aws.String("Approval"), ActionName: aws.String("Approve"), Token: aws.String(token),
		Result: &types.ApprovalResult{Status: types.ApprovalStatusApproved, Summary: aws.String("ship it")}})
	require.NoError(t, err)
	a.WaitStatus(t, "app", exec, types.PipelineExecutionStatusSucceeded)
	for _, r := range rs {
		got, err := r.CP.GetPipelineExecution(ctx, &codepipeline.GetPipelineExecutionInput{
			PipelineName: aws.String("app"), PipelineExecutionId: aws.String(exec)})
		require.NoError(t, err)
		require.Equal(t, types.PipelineExecutionStatusSucceeded, got.PipelineExecution.Status)
	}
	pushed := 0
	for _, e := range a.Executions(t, "app") {
		for _, r := range e.SourceRevisions {
			if aws.ToString(r.RevisionId) == sha {
				pushed++
			}
		}
	}
	require.Equal(t, 1, pushed, "the push started one execution, whichever replica took it")

	require.NoError(t, leader.Node.Close())
	next := awaitLeader(t, rs, leader)
	require.NotSame(t, leader, next)

	// A replica started in its place takes its slot, and with it the server id its
	// in-process jobs carry: those are its to recover.
	again := leader.Another(t)
	require.Equal(t, leader.Node.ServerID, again.Node.ServerID)
	require.False(t, again.Node.Leader(), "the lease stays with the replica that took it over")
}

// awaitLeader waits until exactly one replica other than gone leads, and returns it.
func awaitLeader(t *testing.T, rs []*nodetest.Replica, gone *nodetest.Replica) *nodetest.Replica {
	t.Helper()
	for {
		var leading []*nodetest.Replica
		for _, r := range rs {
			if r != gone && r.Node.Leader() {
				leading = append(leading, r)
			}
		}
		require.LessOrEqual(t, len(leading), 1, "two replicas lead at once")
		if len(leading) == 1 {
			return leading[0]
		}
		waitAnyLead(t, rs)
	}
}

// waitAnyLead waits for a change of leadership on any replica.
func waitAnyLead(t *testing.T, rs []*nodetest.Replica) {
	t.Helper()
	cases := make(chan struct{}, len(rs))
	stop := make(chan struct{})
	defer close(stop)
	for _, r := range rs {
		go func() {
			select {
			case <-r.Leads:
				cases <- struct{}{}
			case <-stop:
			}
		}()
	}
	select {
	case <-cases:
	case <-t.Context().Done():
	}
}
