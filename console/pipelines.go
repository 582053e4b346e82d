package console

import (
	"net/http"
	"sort"
	"strings"

	"sluice"
)

// pipelineRow is one line of the pipelines list.
type pipelineRow struct {
	Name   string
	Latest *sluice.Execution
	Commit string
	Recent []*sluice.Execution // newest first, at most recentRuns
	Hidden bool                // the caller may not list this pipeline's executions
}

// recentRuns is how many runs the list's strip shows.
const recentRuns = 10

// listPage is how many pipelines one page of the list shows.
const listPage = 50

type pipelinesData struct {
	Rows      []pipelineRow
	Query     string
	Next      string
	MayCreate bool
	Error     string
	Deleted   string // the pipeline just deleted, from the delete form's redirect
}

// pipelinesPage is the console's home: every pipeline the caller may list, filtered by name.
func (c *Console) pipelinesPage(w http.ResponseWriter, r *http.Request, s *session) {
	ctx := r.Context()
	d := pipelinesData{Query: strings.TrimSpace(r.URL.Query().Get("q")), MayCreate: c.Service.MayCreatePipeline(ctx, s.caller),
		Deleted: r.URL.Query().Get("deleted")}
	ps, err := c.listPipelines(r, s, d.Query, r.URL.Query().Get("page"))
	if err != nil {
		if sluice.ErrorCode(err) != sluice.EAccessDenied {
			c.failed(w, r, s, err)
			return
		}
		d.Error = "Your policies do not let you list pipelines (codepipeline:ListPipelines)."
	}
	for _, p := range ps.list {
		row := pipelineRow{Name: p.Declaration.Name}
		runs, _, err := c.Service.ListExecutions(ctx, s.caller, row.Name, sluice.ExecutionFilter{Page: sluice.Page{Limit: recentRuns}})
		switch {
		case sluice.ErrorCode(err) == sluice.EAccessDenied:
			row.Hidden = true
		case err != nil:
			c.failed(w, r, s, err)
			return
		case len(runs) > 0:
			row.Latest, row.Recent, row.Commit = runs[0], runs, commitOf(runs[0])
		}
		d.Rows = append(d.Rows, row)
	}
	d.Next = ps.next
	c.render(w, r, s, http.StatusOK, "pipelines", d)
}

type pipelinePage struct {
	list []*sluice.Pipeline
	next string
}

// listPipelines reads a page of the pipelines whose names hold query (case ignored). With a
// query it reads the store's pages until it has a page of matches.
func (c *Console) listPipelines(r *http.Request, s *session, query, token string) (pipelinePage, error) {
	var out pipelinePage
	q := strings.ToLower(query)
	for {
		ps, next, err := c.Service.ListPipelines(r.Context(), s.caller, sluice.Page{Token: token, Limit: listPage})
		if err != nil {
			return out, err
		}
		for _, p := range ps {
			if q == "" || strings.Contains(strings.ToLower(p.Declaration.Name), q) {
				out.list = append(out.list, p)
			}
		}
		token = next
		if next == "" || len(out.list) >= listPage {
			out.next = next
			sort.SliceStable(out.list, func(i, j int) bool { return out.list[i].Declaration.Name < out.list[j].Declaration.Name })
			return out, nil
		}
	}
}

// commitOf is the commit of an execution's first source revision ("" when none).
func commitOf(e *sluice.Execution) string {
	names := make([]string, 0, len(e.Revisions))
	for n := range e.Revisions {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if id := e.Revisions[n].RevisionID; id != "" {
			return id
		}
	}
	return ""
}
