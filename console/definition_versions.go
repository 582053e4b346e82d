package console

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"sluice"
	"sluice/service"
)

type versionsData struct {
	Name     string
	Versions []versionRow
	Current  int
	From, To int // the diff form's preselected pair
}

// versionsPage lists a pipeline's versions with links to each and a form to compare two.
func (c *Console) versionsPage(w http.ResponseWriter, r *http.Request, s *session) {
	name := r.PathValue("name")
	vs, err := c.Service.PipelineVersions(r.Context(), s.caller, name)
	if err != nil {
		c.failed(w, r, s, err)
		return
	}
	d := versionsData{Name: name}
	for _, v := range vs {
		d.Versions = append(d.Versions, versionRow{PipelineVersion: v, Prev: v.Version - 1})
	}
	if len(vs) > 0 {
		d.Current, d.To, d.From = vs[0].Version, vs[0].Version, max(1, vs[0].Version-1)
	}
	c.render(w, r, s, http.StatusOK, "versions", d)
}

// versionRow is a version in the history, with the one before it (0: none) to diff against.
type versionRow struct {
	service.PipelineVersion
	Prev int
}

type diffData struct {
	Name     string
	From, To int
	Format   string
	Hunks    []diffHunk
	Same     bool
	Versions []int
}

// diffPage shows what changed from version from to version to, as a unified line diff of
// the two documents (secrets masked in both).
func (c *Console) diffPage(w http.ResponseWriter, r *http.Request, s *session) {
	name, q := r.PathValue("name"), r.URL.Query()
	from, ok1 := versionParam(q.Get("from"))
	to, ok2 := versionParam(q.Get("to"))
	if !ok1 || !ok2 || from == 0 || to == 0 {
		c.errorPage(w, r, s, http.StatusBadRequest, "Choose two versions to compare: from=N and to=M, whole numbers of 1 or more.")
		return
	}
	d := diffData{Name: name, From: from, To: to, Format: formatParam(q.Get("format"))}
	old, err := c.versionText(r.Context(), s, name, from, d.Format)
	if err != nil {
		c.failed(w, r, s, err)
		return
	}
	cur, err := c.versionText(r.Context(), s, name, to, d.Format)
	if err != nil {
		c.failed(w, r, s, err)
		return
	}
	d.Hunks = hunks(diffLines(splitLines(old), splitLines(cur)), 3)
	d.Same = len(d.Hunks) == 0
	if vs, err := c.Service.PipelineVersions(r.Context(), s.caller, name); err == nil {
		for _, v := range vs {
			d.Versions = append(d.Versions, v.Version)
		}
	}
	c.render(w, r, s, http.StatusOK, "diff", d)
}

func (c *Console) versionText(ctx context.Context, s *session, name string, version int, format string) (string, error) {
	p, err := c.Service.GetPipeline(ctx, s.caller, name, version)
	if err != nil {
		return "", err
	}
	d := p.Declaration
	d.Version = 0 // every version differs there; the page's title says which two these are
	return encodeDeclaration(d, format), nil
}

func splitLines(s string) []string { return strings.Split(strings.TrimRight(s, "\n"), "\n") }

type deleteData struct {
	Name  string
	Typed string
	Error string
}

// deletePage asks to confirm a deletion by typing the pipeline's name.
func (c *Console) deletePage(w http.ResponseWriter, r *http.Request, s *session) {
	name := r.PathValue("name")
	if !c.Service.Controls(r.Context(), s.caller, name).Delete {
		c.forbidden(w, r, s, "delete this pipeline", "codepipeline:DeletePipeline")
		return
	}
	if _, err := c.Service.GetPipeline(r.Context(), s.caller, name, 0); sluice.IsCode(err, sluice.ENotFound) {
		c.failed(w, r, s, err)
		return
	}
	c.render(w, r, s, http.StatusOK, "delete", deleteData{Name: name})
}

// deletePipeline deletes the pipeline (DeletePipeline) once its name was typed to confirm.
func (c *Console) deletePipeline(w http.ResponseWriter, r *http.Request, s *session) {
	name := r.PathValue("name")
	if !c.Service.Controls(r.Context(), s.caller, name).Delete {
		c.forbidden(w, r, s, "delete this pipeline", "codepipeline:DeletePipeline")
		return
	}
	typed := r.PostForm.Get("confirm")
	if typed != name {
		c.render(w, r, s, http.StatusBadRequest, "delete", deleteData{Name: name, Typed: typed,
			Error: "Type the pipeline's name exactly to confirm; nothing was deleted."})
		return
	}
	_, err := c.act(r, s, "", "DeletePipeline", map[string]string{"name": name}, func(ctx context.Context) (any, error) {
		return nil, c.Service.DeletePipeline(ctx, s.caller, name)
	})
	if err != nil {
		c.failed(w, r, s, err)
		return
	}
	http.Redirect(w, r, "/?deleted="+url.QueryEscape(name), http.StatusSeeOther)
}
