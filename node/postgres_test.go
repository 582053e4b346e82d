package node_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/stretchr/testify/require"

	"sluice/config"
	"sluice/node/nodetest"
	"sluice/store/postgres/pgtest"
)

// A server started with --database postgres://… keeps its state there: a pipeline runs its
// source and a Commands action to the end, a restarted server (as a new process would be)
// on the same database finds the execution Succeeded, and no SQLite file is made.
func TestServerOnPostgres(t *testing.T) {
	t.Parallel()
	dsn := pgtest.Schema(t)
	b := nodetest.SetupWith(t, func(c *config.Server) { c.Database.URL = dsn })
	b.SeedRepo(t, nodetest.SrcRepo)
	id := b.Create(t, nodetest.Pipeline("pg", nodetest.Stage("Build", nodetest.CmdAction("Ok", "true"))))
	succeeded := func() bool { return b.Execution(t, "pg", id).Status == types.PipelineExecutionStatusSucceeded }
	b.WaitFor(t, "the execution to succeed", succeeded)
	b.Restart(t)
	require.True(t, succeeded(), "the restarted server reads the execution from PostgreSQL")
	require.Equal(t, types.ActionExecutionStatusSucceeded, b.ActionStatus(t, "pg", "Build", "Ok"))
	_, err := os.Stat(filepath.Join(b.Node.Config.DataDir, "sluice.db"))
	require.True(t, os.IsNotExist(err), "no SQLite database beside it: %v", err)
}
