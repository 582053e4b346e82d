package console

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"net/url"

	"sluice"
)

// pipelineRoutes mounts this area's pages: a pipeline's view, its controls (each a form
// posted back to the view) and the public status badge.
func (c *Console) pipelineRoutes(mux *http.ServeMux) {
	mux.Handle("GET /pipelines/{name}", c.page(c.pipelinePage))
	mux.Handle("POST /pipelines/{name}/release", c.form(c.pipeRelease))
	mux.Handle("POST /pipelines/{name}/stop", c.form(c.pipeStop))
	mux.Handle("POST /pipelines/{name}/retry", c.form(c.pipeRetry))
	mux.Handle("POST /pipelines/{name}/approve", c.form(c.pipeApprove))
	mux.Handle("POST /pipelines/{name}/transition", c.form(c.pipeTransition))
	mux.Handle("POST /pipelines/{name}/override", c.form(c.pipeOverride))
	mux.Handle("POST /pipelines/{name}/rollback", c.form(c.pipeRollback))
	mux.HandleFunc("GET /badge/{file}", c.badge)
}

// pipelinePage shows a pipeline's stages as GetPipelineState has them, with the controls the
// caller may use, and the notice of the change the caller just made (?done=).
func (c *Console) pipelinePage(w http.ResponseWriter, r *http.Request, s *session) {
	c.showPipeline(w, r, s, http.StatusOK, pipeFormError{})
}

// showPipeline draws the pipeline page, with ferr beside the form it came from; a pipeline
// the caller may not read (or that does not exist) is the error page.
func (c *Console) showPipeline(w http.ResponseWriter, r *http.Request, s *session, status int, ferr pipeFormError) {
	st, err := c.Service.PipelineState(r.Context(), s.caller, r.PathValue("name"))
	if err != nil {
		c.failed(w, r, s, err)
		return
	}
	v := c.viewPipeline(r.Context(), s.caller, st)
	v.Error, v.Session = ferr, s
	if ferr.Message == "" {
		v.Notice = pipeNotice(r.URL.Query())
	}
	v.Token = pipeToken()
	c.render(w, r, s, status, "pipeline", v)
}

// pipeNotice is what the page says after a change (the redirect's query names it); an unknown
// one says nothing.
func pipeNotice(q url.Values) string {
	id, stage := q.Get("execution"), q.Get("stage")
	switch q.Get("done") {
	case "released":
		return "Change released: execution " + id + " started."
	case "stopped":
		return "Execution " + id + " is stopping."
	case "retried":
		return "Stage " + stage + " of execution " + id + " is running again."
	case "approved":
		return "Approved: stage " + stage + " goes on."
	case "rejected":
		return "Rejected: stage " + stage + " fails."
	case "enabled":
		return "The transition into stage " + stage + " is enabled."
	case "disabled":
		return "The transition into stage " + stage + " is disabled."
	case "overridden":
		return "Condition overridden: stage " + stage + " of execution " + id + " goes on."
	case "rolledback":
		return "Stage " + stage + " is rolling back to execution " + q.Get("target") + ": rollback execution " + id + " started."
	}
	return ""
}

// pipeDone sends the browser back to the pipeline page with the notice of what it did.
func pipeDone(w http.ResponseWriter, r *http.Request, what string, q url.Values) {
	q.Set("done", what)
	http.Redirect(w, r, "/pipelines/"+pathEscape(r.PathValue("name"))+"?"+q.Encode(), http.StatusSeeOther)
}

// pipeRefused shows the pipeline page again with the core's answer beside the form.
func (c *Console) pipeRefused(w http.ResponseWriter, r *http.Request, s *session, form string, err error) {
	status := http.StatusBadRequest
	switch sluice.ErrorCode(err) {
	case sluice.EAccessDenied:
		status = http.StatusForbidden
	case sluice.ENotFound:
		status = http.StatusNotFound
	case sluice.EInternal:
		status = http.StatusInternalServerError
		c.Log.Error("console: a change failed", "path", r.URL.Path, "err", err)
	}
	c.showPipeline(w, r, s, status, pipeFormError{For: form, Message: errorText(err)})
}

// pipeToken is a fresh clientRequestToken for the release form.
func pipeToken() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand)
	return hex.EncodeToString(b[:])
}
