package console_test

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
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
