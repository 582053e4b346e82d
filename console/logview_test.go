package console_test

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/actionlog"
	"sluice/console"
	"sluice/service"
)

// setupLog serves a console with a log store and returns it with the id of the source
// action's run of the execution the pipeline's creation started (InProgress, its log empty).
func setupLog(t *testing.T) (*fixture, *actionlog.FileSink, string) {
	f := setup(t)
	sink, err := actionlog.NewFileSink(filepath.Join(t.TempDir(), "logs"), 0)
	require.NoError(t, err)
	sink.Now = f.clock.Now
	f.serveConsole(func(c *console.Console) { c.Logs = sink })
	id := f.createExec("app")
	runs, err := f.core.ListActionRuns(f.ctx, rootCaller, service.ActionRunsParams{Pipeline: "app", ExecutionID: id})
	require.NoError(t, err)
	require.Len(t, runs.Runs, 1)
	return f, sink, runs.Runs[0].ID
}

func TestActionLog(t *testing.T) {
	t.Parallel()
	t.Run("ShowsAFinishedLogWithTimes", func(t *testing.T) {
		t.Parallel()
		f, sink, run := setupLog(t)
		w, err := sink.Open(f.ctx, sluice.ActionRef{PipelineName: "app", ActionRunID: run})
		require.NoError(t, err)
		at := f.clock.Now()
		_, _ = io.WriteString(w, "fetching s3://b/k.zip\n\x1b[32mok\x1b[0m <done>\n")
		f.clock.add(2 * time.Second)
		_, _ = io.WriteString(w, "no line break at the end")
		require.NoError(t, w.Close())
		f.finishJobs(true, time.Second)
		b := f.root()
		resp, body := b.get("/pipelines/app/actions/" + run)
		require.Equal(t, http.StatusOK, resp.StatusCode)
		require.Contains(t, body, `<span id="run-status" class="status ok">Succeeded</span>`)
		require.Contains(t, body, `<time class="ts" datetime="`+at.Format(time.RFC3339)+`">`+at.Format("15:04:05")+`</time>fetching s3://b/k.zip</span>`)
		require.Contains(t, body, `</time>ok &lt;done&gt;</span>`, "escaped, terminal colours removed")
		require.Contains(t, body, `">`+at.Add(2*time.Second).Format("15:04:05")+`</time>no line break at the end</span>`)
		require.NotContains(t, body, "data-stream", "an ended run's log is not followed")
		require.Contains(t, body, `<th scope="row" class="mono">S3Bucket</th>`)
		resp, raw := b.get("/pipelines/app/actions/" + run + "/log")
		require.Equal(t, http.StatusOK, resp.StatusCode)
		require.Equal(t, "text/plain; charset=utf-8", resp.Header.Get("Content-Type"))
		require.Equal(t, "fetching s3://b/k.zip\n\x1b[32mok\x1b[0m <done>\nno line break at the end", raw)
	})
	t.Run("StreamFollowsToTheEnd", func(t *testing.T) {
		t.Parallel()
		f, sink, run := setupLog(t)
		w, err := sink.Open(f.ctx, sluice.ActionRef{PipelineName: "app", ActionRunID: run})
		require.NoError(t, err)
		_, _ = io.WriteString(w, "before the page\n")
		b := f.root()
		_, page := b.get("/pipelines/app/actions/" + run)
		require.Contains(t, page, "before the page")
		require.Contains(t, page, `data-stream="/pipelines/app/actions/`+run+`/log/stream?offset=16"`)

		resp, err := b.client.Get(f.srv.URL + "/pipelines/app/actions/" + run + "/log/stream?offset=16")
		require.NoError(t, err)
		defer resp.Body.Close()
		require.Equal(t, "text/event-stream", resp.Header.Get("Content-Type"))
		events := bufio.NewReader(resp.Body)
		_, _ = io.WriteString(w, "after connecting\n")
		ev := nextEvent(t, events)
		require.Equal(t, "line", ev.name)
		require.Equal(t, "33", ev.id, "the offset after the line, for a reconnect")
		require.Equal(t, "after connecting", ev.line(t).Text)
		require.Equal(t, f.clock.Now().Format(time.RFC3339), ev.line(t).At.Format(time.RFC3339))

		f.clock.add(time.Second)
		_, _ = io.WriteString(w, "second\nlast, cut")
		require.Equal(t, "second", nextEvent(t, events).line(t).Text)
		require.NoError(t, w.Close())
		f.finishJobs(false, time.Second)
		sink.Notify(run) // as the server does when a run ends
		ev = nextEvent(t, events)
		require.Equal(t, "last, cut", ev.line(t).Text)
		ev = nextEvent(t, events)
		require.Equal(t, "end", ev.name)
		require.JSONEq(t, `{"status":"Failed","class":"bad"}`, ev.data)
	})
	t.Run("ErrNotAllowed", func(t *testing.T) {
		t.Parallel()
		f, _, run := setupLog(t)
		key, secret := f.addUser("ann", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"codepipeline:ListActionExecutions","Resource":"*"}]}`)
		b := f.signIn(key, secret)
		resp, body := b.get("/pipelines/app/actions/" + run)
		require.Equal(t, http.StatusOK, resp.StatusCode, "the run, without its log")
		require.Contains(t, body, "sluice:GetActionLog")
		require.NotContains(t, body, `id="log"`)
		resp, _ = b.get("/pipelines/app/actions/" + run + "/log")
		require.Equal(t, http.StatusForbidden, resp.StatusCode)
		resp, _ = b.get("/pipelines/app/actions/" + run + "/log/stream")
		require.Equal(t, http.StatusForbidden, resp.StatusCode)

		key, secret = f.addUser("bob", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"codepipeline:ListPipelines","Resource":"*"}]}`)
		resp, body = f.signIn(key, secret).get("/pipelines/app/actions/" + run)
		require.Equal(t, http.StatusForbidden, resp.StatusCode)
		require.Contains(t, body, "codepipeline:ListActionExecutions")
	})
}

type sseEvent struct{ name, id, data string }

func (e sseEvent) line(t *testing.T) (l struct {
	At   time.Time `json:"t"`
	Text string    `json:"text"`
}) {
	require.NoError(t, json.Unmarshal([]byte(e.data), &l), e.data)
	return l
}

// nextEvent reads the stream's next event, skipping comments and retry lines.
func nextEvent(t *testing.T, r *bufio.Reader) sseEvent {
	var ev sseEvent
	for {
		line, err := r.ReadString('\n')
		require.NoError(t, err)
		line = strings.TrimSuffix(line, "\n")
		switch {
		case line == "" && ev.name != "":
			return ev
		case strings.HasPrefix(line, "event: "):
			ev.name = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "id: "):
			ev.id = strings.TrimPrefix(line, "id: ")
		case strings.HasPrefix(line, "data: "):
			ev.data = strings.TrimPrefix(line, "data: ")
		}
	}
}

func TestActionLogStreamEnds(t *testing.T) {
	t.Parallel()
	t.Run("AtShutdownAndResumesAfterTheLastLine", func(t *testing.T) {
		t.Parallel()
		f, sink, run := setupLog(t)
		w, err := sink.Open(f.ctx, sluice.ActionRef{PipelineName: "app", ActionRunID: run})
		require.NoError(t, err)
		b := f.root()
		resp, err := b.client.Get(f.srv.URL + "/pipelines/app/actions/" + run + "/log/stream")
		require.NoError(t, err)
		defer resp.Body.Close()
		events := bufio.NewReader(resp.Body)
		_, _ = io.WriteString(w, "one\n")
		ev := nextEvent(t, events)
		require.Equal(t, "one", ev.line(t).Text)
		f.hub.Close() // what a shutting-down server calls
		_, err = io.ReadAll(events)
		require.NoError(t, err, "the stream ends")

		_, _ = io.WriteString(w, "two\n")
		req, err := http.NewRequest(http.MethodGet, f.srv.URL+"/pipelines/app/actions/"+run+"/log/stream", nil)
		require.NoError(t, err)
		req.Header.Set("Last-Event-ID", ev.id) // what the browser sends when it reconnects
		resp2, err := b.client.Do(req)
		require.NoError(t, err)
		defer resp2.Body.Close()
		require.Equal(t, "two", nextEvent(t, bufio.NewReader(resp2.Body)).line(t).Text)
	})
}
