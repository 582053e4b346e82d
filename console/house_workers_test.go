package console_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice/jobqueue"
	"sluice/service"
)

func TestWorkersPage(t *testing.T) {
	t.Parallel()

	t.Run("ShowsPolledWorkerAndItsJob", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		f.core.Queue = &jobqueue.Queue{Store: f.db, Clock: f.clock, Lease: time.Minute}
		b := f.root()
		_, body := b.get("/workers")
		require.Contains(t, body, "No remote worker has polled this server")
		require.Contains(t, body, "No job is running.")

		f.createExec("build")
		jobs, err := f.core.PollForWorkerJobs(f.ctx, rootCaller, service.WorkerPollParams{Worker: "builder-1", Labels: []string{"gpu"}, Limit: 10})
		require.NoError(t, err)
		require.Len(t, jobs, 1)
		resp, body := b.get("/workers")
		require.Equal(t, http.StatusOK, resp.StatusCode)
		require.Contains(t, body, "builder-1")
		require.Contains(t, body, "Connected")
		require.Contains(t, body, "<li>gpu</li>")
		require.Contains(t, body, `href="/pipelines/build/actions/`+jobs[0].ActionRunID+`"`)
		require.Contains(t, body, "build · Source · Fetch")

		f.clock.add(2 * time.Minute)
		_, body = b.get("/workers")
		require.Contains(t, body, "Not seen lately")
	})

	t.Run("ErrAccessDenied", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		kid, sec := f.addUser("nobody", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"codepipeline:ListPipelines","Resource":"*"}]}`)
		resp, body := f.signIn(kid, sec).get("/workers")
		require.Equal(t, http.StatusForbidden, resp.StatusCode)
		require.Contains(t, body, "sluice:ListWorkers")
	})
}
