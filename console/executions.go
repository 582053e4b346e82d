package console

import (
	"net/http"
	"net/url"

	"sluice"
	"sluice/service"
)

// executionRoutes mounts this area's pages: a pipeline's history, an execution with its
// timeline and artifacts, and an action run with its log.
func (c *Console) executionRoutes(mux *http.ServeMux) {
	mux.Handle("GET /pipelines/{name}/executions", c.page(c.historyPage))
	mux.Handle("GET /pipelines/{name}/executions/{id}", c.page(c.executionPage))
	mux.Handle("GET /pipelines/{name}/executions/{id}/artifacts/{artifact}", c.page(c.artifactDownload))
	mux.Handle("GET /pipelines/{name}/actions/{id}", c.page(c.actionPage))
	mux.Handle("GET /pipelines/{name}/actions/{id}/log", c.page(c.rawLog))
	mux.Handle("GET /pipelines/{name}/actions/{id}/log/stream", c.page(c.logStream))
}

// historyPageSize is how many executions one page of the history shows.
const historyPageSize = 25

// executionStatuses and triggerTypes are the history's filter choices, as the model names them.
var (
	executionStatuses = []sluice.ExecutionStatus{sluice.ExecutionInProgress, sluice.ExecutionStopping, sluice.ExecutionStopped,
		sluice.ExecutionSucceeded, sluice.ExecutionFailed, sluice.ExecutionSuperseded, sluice.ExecutionCancelled}
	triggerTypes = []string{sluice.TriggerCreatePipeline, sluice.TriggerStartPipelineExecution, sluice.TriggerPollForSourceChanges,
		sluice.TriggerWebhook, sluice.TriggerWebhookV2, sluice.TriggerCloudWatchEvent, sluice.TriggerPutActionRevision,
		sluice.TriggerManualRollback, sluice.TriggerAutomatedRollback}
)

type historyData struct {
	Pipeline string
	Rows     []historyRow
	Status   string
	Trigger  string
	Statuses []sluice.ExecutionStatus
	Triggers []string
	Next     string // the next page's URL ("" on the last)
	First    string // the first page's URL when this is a later one
	Filtered bool
}

type historyRow struct {
	*sluice.Execution
	Commit string
}

// historyPage lists a pipeline's executions, newest first, filtered by status and trigger.
func (c *Console) historyPage(w http.ResponseWriter, r *http.Request, s *session) {
	name, q := r.PathValue("name"), r.URL.Query()
	d := historyData{Pipeline: name, Status: q.Get("status"), Trigger: q.Get("trigger"),
		Statuses: executionStatuses, Triggers: triggerTypes}
	d.Filtered = d.Status != "" || d.Trigger != ""
	runs, next, err := c.Service.ExecutionHistory(r.Context(), s.caller, name, service.HistoryFilter{
		Status: sluice.ExecutionStatus(d.Status), Trigger: d.Trigger,
		Page: sluice.Page{Token: q.Get("page"), Limit: historyPageSize}})
	if err != nil {
		c.failed(w, r, s, err)
		return
	}
	for _, e := range runs {
		d.Rows = append(d.Rows, historyRow{Execution: e, Commit: commitOf(e)})
	}
	if next != "" {
		d.Next = historyURL(name, d.Status, d.Trigger, next)
	}
	if q.Get("page") != "" {
		d.First = historyURL(name, d.Status, d.Trigger, "")
	}
	c.render(w, r, s, http.StatusOK, "executions", d)
}

// historyURL is the history page with these filters, at page token ("" for the first).
func historyURL(pipeline, status, trigger, token string) string {
	v := url.Values{}
	for k, x := range map[string]string{"status": status, "trigger": trigger, "page": token} {
		if x != "" {
			v.Set(k, x)
		}
	}
	u := "/pipelines/" + pathEscape(pipeline) + "/executions"
	if len(v) > 0 {
		u += "?" + v.Encode()
	}
	return u
}
