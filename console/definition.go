package console

import (
	"net/http"
	"net/url"
	"strconv"

	"sluice"
	"sluice/service"
)

// definitionRoutes mounts this area's pages: a pipeline's definition (view, edit), its
// versions and their diff, creating a pipeline from a pasted document, and deleting one.
func (c *Console) definitionRoutes(mux *http.ServeMux) {
	mux.Handle("GET /pipelines/{name}/definition", c.page(c.definitionPage))
	mux.Handle("GET /pipelines/{name}/definition/edit", c.page(c.editPage))
	mux.Handle("POST /pipelines/{name}/definition/edit", c.form(c.saveDefinition))
	mux.Handle("GET /pipelines/{name}/versions", c.page(c.versionsPage))
	mux.Handle("GET /pipelines/{name}/diff", c.page(c.diffPage))
	mux.Handle("GET /pipelines/{name}/delete", c.page(c.deletePage))
	mux.Handle("POST /pipelines/{name}/delete", c.form(c.deletePipeline))
	mux.Handle("GET /create", c.page(c.createPage))
	mux.Handle("POST /create", c.form(c.createPipeline))
	// The pipelines list links its "Create pipeline" here.
	mux.Handle("GET /pipelines/new", http.RedirectHandler("/create", http.StatusSeeOther))
}

type definitionData struct {
	Name     string
	Pipeline *sluice.Pipeline
	Current  int // the current version; Pipeline may be an older one
	Versions []int
	Format   string
	Text     string
	Saved    string // the version just saved, from the redirect after a save
	Controls service.PipelineControls
}

// definitionPage shows one version of a pipeline's declaration (the current one unless
// ?version=N) as JSON or YAML (?format=yaml), its secrets masked by the core.
func (c *Console) definitionPage(w http.ResponseWriter, r *http.Request, s *session) {
	name, q := r.PathValue("name"), r.URL.Query()
	version, ok := versionParam(q.Get("version"))
	if !ok {
		c.errorPage(w, r, s, http.StatusBadRequest, "The version must be a whole number of 1 or more.")
		return
	}
	cur, err := c.Service.GetPipeline(r.Context(), s.caller, name, 0)
	if err != nil {
		c.failed(w, r, s, err)
		return
	}
	p := cur
	if version != 0 && version != cur.Declaration.Version {
		if p, err = c.Service.GetPipeline(r.Context(), s.caller, name, version); err != nil {
			c.failed(w, r, s, err)
			return
		}
	}
	d := definitionData{Name: name, Pipeline: p, Current: cur.Declaration.Version, Format: formatParam(q.Get("format")),
		Saved: q.Get("saved"), Controls: c.Service.Controls(r.Context(), s.caller, name)}
	d.Text = encodeDeclaration(p.Declaration, d.Format)
	for v := d.Current; v >= 1 && len(d.Versions) < service.MaxListedVersions; v-- {
		d.Versions = append(d.Versions, v)
	}
	c.render(w, r, s, http.StatusOK, "definition", d)
}

// versionParam reads ?version=: "" is 0 (the current one).
func versionParam(v string) (int, bool) {
	if v == "" {
		return 0, true
	}
	n, err := strconv.Atoi(v)
	return n, err == nil && n >= 1
}

// formatParam is the format a page was asked for: JSON unless "yaml".
func formatParam(f string) string {
	if f == formatYAML {
		return formatYAML
	}
	return formatJSON
}

// pipelineURL is the path of a pipeline's page, with more path segments after it.
func pipelineURL(name string, more string) string {
	return "/pipelines/" + url.PathEscape(name) + more
}

// forbidden answers a page or form the caller's policies do not allow, naming the action.
func (c *Console) forbidden(w http.ResponseWriter, r *http.Request, s *session, what, action string) {
	c.errorPage(w, r, s, http.StatusForbidden, "Your policies do not let you "+what+" ("+action+").")
}
