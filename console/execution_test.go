package console_test

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/artifact/diskstore"
	"sluice/console"
	"sluice/service"
)

// rowsOf returns the execution ids a history page lists, in order.
func rowsOf(body string) []string {
	var ids []string
	for _, m := range regexp.MustCompile(`/executions/([0-9a-f-]{36})"`).FindAllStringSubmatch(body, -1) {
		ids = append(ids, m[1])
	}
	return ids
}

func TestHistory(t *testing.T) {
	t.Parallel()
	t.Run("ListsNewestFirstWithFilters", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		created := f.createExec("app")
		stopped := f.start("app", nil)
		f.stop("app", stopped)
		byHand := f.start("app", nil)
		revised := f.revise("app", sluice.Revision{RevisionID: "0123456789abcdef", Summary: "fix the build"})
		b := f.root()

		resp, body := b.get("/pipelines/app/executions")
		require.Equal(t, http.StatusOK, resp.StatusCode)
		require.Equal(t, []string{revised, byHand, stopped, created}, rowsOf(body))
		require.Contains(t, body, "PutActionRevision")
		require.Contains(t, body, ">01234567<", "the source commit, short")
		require.Contains(t, body, `data-live="app"`)

		_, body = b.get("/pipelines/app/executions?status=Stopped")
		require.Equal(t, []string{stopped}, rowsOf(body))
		require.Contains(t, body, `<option value="Stopped" selected>`)
		_, body = b.get("/pipelines/app/executions?trigger=StartPipelineExecution")
		require.Equal(t, []string{byHand, stopped}, rowsOf(body))
		_, body = b.get("/pipelines/app/executions?status=InProgress&trigger=StartPipelineExecution")
		require.Equal(t, []string{byHand}, rowsOf(body))
		_, body = b.get("/pipelines/app/executions?trigger=CreatePipeline")
		require.Equal(t, []string{created}, rowsOf(body))
		_, body = b.get("/pipelines/app/executions?status=Failed")
		require.Empty(t, rowsOf(body))
		require.Contains(t, body, "No executions on this page match the filter.")
	})
	t.Run("Pages", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		want := []string{f.createExec("app")}
		for range 29 {
			want = append([]string{f.start("app", nil)}, want...)
		}
		b := f.root()
		_, body := b.get("/pipelines/app/executions")
		first := rowsOf(body)
		require.Equal(t, want[:25], first)
		next := regexp.MustCompile(`href="([^"]+)" rel="next"`).FindStringSubmatch(body)
		require.NotNil(t, next, "a link to the older executions")
		_, body = b.get(strings.ReplaceAll(next[1], "&amp;", "&"))
		require.Equal(t, want[25:], rowsOf(body))
		require.NotContains(t, body, `rel="next"`)
		require.Contains(t, body, ">Newest</a>")
	})
	t.Run("FilteredPagesResumeWhereTheyStopped", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		f.stop("app", f.createExec("app"))
		var want []string
		for i := range 60 {
			id := f.start("app", nil)
			if i%2 == 0 {
				f.stop("app", id)
				want = append([]string{id}, want...)
			}
		}
		b := f.root()
		var got []string
		for path := "/pipelines/app/executions?status=Stopped"; path != ""; {
			_, body := b.get(path)
			got = append(got, rowsOf(body)...)
			path = ""
			if m := regexp.MustCompile(`href="([^"]+)" rel="next"`).FindStringSubmatch(body); m != nil {
				path = strings.ReplaceAll(m[1], "&amp;", "&")
			}
		}
		require.Equal(t, want, got[:len(want)])
		require.Len(t, got, len(want)+1, "and the execution the creation started, stopped too")
	})
	t.Run("ErrNotAllowed", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		f.createExec("app")
		f.start("app", nil)
		id, secret := f.addUser("ann", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"codepipeline:ListPipelines","Resource":"*"}]}`)
		resp, body := f.signIn(id, secret).get("/pipelines/app/executions")
		require.Equal(t, http.StatusForbidden, resp.StatusCode)
		require.Contains(t, body, "codepipeline:ListPipelineExecutions")
	})
	t.Run("ErrNoPipeline", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		resp, body := f.root().get("/pipelines/nope/executions")
		require.Equal(t, http.StatusNotFound, resp.StatusCode)
		require.Contains(t, body, fmt.Sprint("nope"))
	})
}

func TestExecutionPage(t *testing.T) {
	t.Parallel()
	t.Run("ShowsRevisionsVariablesTimelineAndActions", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		f.createExec("app")
		f.finishJobs(true, 3*time.Second) // the creation's execution
		id := f.revise("app", sluice.Revision{RevisionID: "feedfacecafebeef", Summary: "make <it> faster", URL: "https://git.example/app/commit/feedface"})
		require.Equal(t, 1, f.finishJobs(true, 5*time.Second))
		b := f.root()
		resp, body := b.get("/pipelines/app/executions/" + id)
		require.Equal(t, http.StatusOK, resp.StatusCode)
		require.Contains(t, body, "PutActionRevision")
		require.Contains(t, body, `href="https://git.example/app/commit/feedface"`)
		require.Contains(t, body, "make &lt;it&gt; faster")
		require.Contains(t, body, `<th scope="row" class="mono">Env</th><td class="mono">dev</td>`, "the default of the variable")
		require.Contains(t, body, `data-live="app"`)
		svg := regexp.MustCompile(`(?s)<svg class="timeline".*?</svg>`).FindString(body)
		require.NotEmpty(t, svg, "a timeline")
		for _, want := range []string{"Stage Source: Succeeded, 5s", "Action Fetch: Succeeded, 5s", "Stage Gate: InProgress", "Action Approve: InProgress"} {
			require.Contains(t, svg, "<title>"+want, "a bar per stage and action")
		}
		require.Equal(t, 4, strings.Count(svg, "<rect "))
		require.Contains(t, body, `id="timeline-table"`)
		require.Contains(t, body, "done by the test", "the action's summary")
		require.Contains(t, body, `<th scope="row" class="mono">ETag</th><td class="mono">abc123</td>`, "its output variables")
		require.Contains(t, body, `<th scope="row" class="mono">S3Bucket</th><td class="mono">b</td>`, "its configuration")
		require.Contains(t, body, "out: Code", "its artifact, without a link: this console has no artifact store")
	})
	t.Run("ErrNotAllowed", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		id := f.createExec("app")
		key, secret := f.addUser("ann", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"codepipeline:ListPipelineExecutions","Resource":"*"}]}`)
		resp, body := f.signIn(key, secret).get("/pipelines/app/executions/" + id)
		require.Equal(t, http.StatusForbidden, resp.StatusCode)
		require.Contains(t, body, "codepipeline:GetPipelineExecution")
	})
	t.Run("WithoutActionRunsShowsTheExecution", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		id := f.createExec("app")
		key, secret := f.addUser("ann", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"codepipeline:GetPipelineExecution","Resource":"*"}]}`)
		resp, body := f.signIn(key, secret).get("/pipelines/app/executions/" + id)
		require.Equal(t, http.StatusOK, resp.StatusCode)
		require.Contains(t, body, "codepipeline:ListActionExecutions")
		require.NotContains(t, body, "<svg")
	})
	t.Run("ErrNoExecution", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		f.createExec("app")
		resp, _ := f.root().get("/pipelines/app/executions/00000000-0000-4000-8000-999999999999")
		require.Equal(t, http.StatusNotFound, resp.StatusCode)
	})
}

func TestArtifactDownload(t *testing.T) {
	t.Parallel()
	setupArtifact := func(t *testing.T) (*fixture, string) {
		f := setup(t)
		store, err := diskstore.New(t.TempDir())
		require.NoError(t, err)
		f.serveConsole(func(c *console.Console) { c.Artifacts = store })
		id := f.createExec("app")
		require.Equal(t, 1, f.finishJobs(true, time.Second))
		runs, err := f.core.ListActionRuns(f.ctx, rootCaller, service.ActionRunsParams{Pipeline: "app", ExecutionID: id})
		require.NoError(t, err)
		require.Len(t, runs.Runs, 2)
		out := runs.Runs[1].OutputArtifacts // the source's (newest first: the approval is [0])
		require.Len(t, out, 1)
		_, err = store.Put(f.ctx, out[0].Key, strings.NewReader("PK zip bytes"))
		require.NoError(t, err)
		return f, id
	}
	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		f, id := setupArtifact(t)
		b := f.root()
		_, page := b.get("/pipelines/app/executions/" + id)
		link := "/pipelines/app/executions/" + id + "/artifacts/Code"
		require.Contains(t, page, `href="`+link+`" download`)
		resp, body := b.get(link)
		require.Equal(t, http.StatusOK, resp.StatusCode)
		require.Equal(t, "application/zip", resp.Header.Get("Content-Type"))
		require.Equal(t, `attachment; filename=Code.zip`, resp.Header.Get("Content-Disposition"))
		require.Equal(t, "PK zip bytes", body)
	})
	t.Run("ErrNoSuchArtifact", func(t *testing.T) {
		t.Parallel()
		f, id := setupArtifact(t)
		resp, _ := f.root().get("/pipelines/app/executions/" + id + "/artifacts/Nope")
		require.Equal(t, http.StatusNotFound, resp.StatusCode)
	})
	t.Run("ErrNotAllowed", func(t *testing.T) {
		t.Parallel()
		f, id := setupArtifact(t)
		key, secret := f.addUser("ann", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"codepipeline:GetPipelineExecution","Resource":"*"}]}`)
		resp, body := f.signIn(key, secret).get("/pipelines/app/executions/" + id + "/artifacts/Code")
		require.Equal(t, http.StatusForbidden, resp.StatusCode)
		require.Contains(t, body, "codepipeline:ListActionExecutions")
	})
}
