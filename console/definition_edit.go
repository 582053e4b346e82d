package console

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"sluice"
)

// editorData is the page that edits a pipeline's document, or pastes a new one (Create).
type editorData struct {
	Name    string // the pipeline edited ("" when creating)
	Create  bool
	Format  string
	Text    string
	Base    int          // the version the text was made from (editing)
	Errors  []fieldError // what is wrong with Text, placed at its lines
	Listing []listingLine
}

// listingLine is one numbered line of the document, with the errors placed under it; Gap
// stands for lines left out between excerpts.
type listingLine struct {
	N      int
	Text   string
	Errors []listingError
	Gap    bool
}

type listingError struct {
	ID, Msg string
}

// listingContext is how many lines the listing shows around each line with an error.
const listingContext = 4

// IDs of a line's errors, for aria-describedby.
func (l listingLine) IDs() string {
	ids := make([]string, len(l.Errors))
	for i, e := range l.Errors {
		ids[i] = e.ID
	}
	return strings.Join(ids, " ")
}

// Where names an error's place for the summary ("" when it has none).
func (e fieldError) Where() string {
	if e.Line == 0 {
		return ""
	}
	return lineLabel(e.Line, e.Col)
}

// fail records errs and excerpts the document around the lines they name, numbered, each
// error under its line (the whole document stays in the text area below).
func (d *editorData) fail(errs []fieldError) {
	d.Errors = errs
	lines := strings.Split(strings.TrimRight(d.Text, "\n"), "\n")
	byLine := map[int][]listingError{}
	for i, e := range errs {
		if e.Line >= 1 && e.Line <= len(lines) {
			byLine[e.Line] = append(byLine[e.Line], listingError{ID: "err-" + strconv.Itoa(i+1), Msg: e.Msg})
		}
	}
	shown := func(n int) bool {
		for l := n - listingContext; l <= n+listingContext; l++ {
			if byLine[l] != nil {
				return true
			}
		}
		return false
	}
	d.Listing = nil
	for i, l := range lines {
		n := i + 1
		switch {
		case shown(n):
			d.Listing = append(d.Listing, listingLine{N: n, Text: l, Errors: byLine[n]})
		case len(d.Listing) > 0 && !d.Listing[len(d.Listing)-1].Gap:
			d.Listing = append(d.Listing, listingLine{Gap: true})
		}
	}
	if k := len(d.Listing); k > 0 && d.Listing[k-1].Gap {
		d.Listing = d.Listing[:k-1]
	}
}

// editPage shows the current declaration in a form to change and save it.
func (c *Console) editPage(w http.ResponseWriter, r *http.Request, s *session) {
	name := r.PathValue("name")
	if !c.Service.Controls(r.Context(), s.caller, name).Edit {
		c.forbidden(w, r, s, "edit this pipeline", "codepipeline:UpdatePipeline")
		return
	}
	p, err := c.Service.GetPipeline(r.Context(), s.caller, name, 0)
	if err != nil {
		c.failed(w, r, s, err)
		return
	}
	d := editorData{Name: name, Format: formatParam(r.URL.Query().Get("format")), Base: p.Declaration.Version}
	d.Text = encodeDeclaration(p.Declaration, d.Format)
	c.render(w, r, s, http.StatusOK, "definition_edit", d)
}

// saveDefinition saves the posted document as the pipeline's next version (UpdatePipeline).
// A document that does not decode or validate is shown again, as typed, with its errors at
// their lines; nothing is saved. Masked secrets ("****") left as they are keep their stored
// values: the core puts them back.
func (c *Console) saveDefinition(w http.ResponseWriter, r *http.Request, s *session) {
	name := r.PathValue("name")
	if !c.Service.Controls(r.Context(), s.caller, name).Edit {
		c.forbidden(w, r, s, "edit this pipeline", "codepipeline:UpdatePipeline")
		return
	}
	text := r.PostForm.Get("definition")
	base, _ := strconv.Atoi(r.PostForm.Get("base"))
	d := editorData{Name: name, Text: text, Format: formatOf(text), Base: base}
	p, derr := parseDocument(text)
	if derr != nil {
		d.fail([]fieldError{{Line: derr.Line, Col: derr.Col, Msg: derr.Msg}})
		c.render(w, r, s, http.StatusBadRequest, "definition_edit", d)
		return
	}
	if p.Decl.Name != name {
		d.fail([]fieldError{{Line: p.Index.line("pipeline.name"), Msg: fmt.Sprintf(
			"The name must stay %q: a pipeline cannot be renamed. Create the new one and delete this one instead.", name)}})
		c.render(w, r, s, http.StatusBadRequest, "definition_edit", d)
		return
	}
	if cur, err := c.Service.GetPipeline(r.Context(), s.caller, name, 0); err == nil && base != 0 && cur.Declaration.Version != base {
		// Someone saved since this text was made: saving now would undo their change unseen.
		d.Base = cur.Declaration.Version
		d.fail([]fieldError{{Msg: fmt.Sprintf("This pipeline was saved as version %d after you opened version %d. "+
			"Compare them under Versions; saving again now replaces version %d with your text.", d.Base, base, d.Base)}})
		c.render(w, r, s, http.StatusConflict, "definition_edit", d)
		return
	}
	var saved *sluice.Pipeline
	_, err := c.act(r, s, "", "UpdatePipeline", map[string]any{"pipeline": p.Decl}, func(ctx context.Context) (any, error) {
		var err error
		if saved, err = c.Service.UpdatePipeline(ctx, s.caller, *p.Decl); err != nil {
			return nil, err
		}
		return map[string]any{"pipeline": saved.Declaration}, nil
	})
	if err != nil {
		c.refused(w, r, s, err, "definition_edit", &d, p)
		return
	}
	http.Redirect(w, r, pipelineURL(name, "/definition?saved="+strconv.Itoa(saved.Declaration.Version)+"&format="+d.Format), http.StatusSeeOther)
}

// refused shows the editor again after the core refused its document: a declaration the
// core found invalid has its errors placed at their fields; anything else is an error page.
func (c *Console) refused(w http.ResponseWriter, r *http.Request, s *session, err error, page string, d *editorData, p *parsed) {
	switch sluice.ErrorCode(err) {
	case sluice.EInvalid, sluice.EStructure, sluice.EStageDecl, sluice.EActionDecl, sluice.EBlockerDecl,
		sluice.ELimit, sluice.EAlreadyExists:
		errs := placeErrors(errorText(err), p.Decl, p.Index)
		if sluice.IsCode(err, sluice.EAlreadyExists) {
			errs[0].Line = p.Index.line("pipeline.name")
		}
		d.fail(errs)
		c.render(w, r, s, http.StatusBadRequest, page, d)
	default:
		c.failed(w, r, s, err)
	}
}

// createPage is the form to paste a new pipeline.
func (c *Console) createPage(w http.ResponseWriter, r *http.Request, s *session) {
	if !c.Service.MayCreatePipeline(r.Context(), s.caller) {
		c.forbidden(w, r, s, "create pipelines", "codepipeline:CreatePipeline")
		return
	}
	c.render(w, r, s, http.StatusOK, "definition_edit", editorData{Create: true, Format: formatJSON})
}

// createPipeline creates the pasted pipeline (CreatePipeline), with the tags of a
// create-pipeline input document, and opens its page.
func (c *Console) createPipeline(w http.ResponseWriter, r *http.Request, s *session) {
	if !c.Service.MayCreatePipeline(r.Context(), s.caller) {
		c.forbidden(w, r, s, "create pipelines", "codepipeline:CreatePipeline")
		return
	}
	text := r.PostForm.Get("definition")
	d := editorData{Create: true, Text: text, Format: formatOf(text)}
	p, derr := parseDocument(text)
	if derr != nil {
		d.fail([]fieldError{{Line: derr.Line, Col: derr.Col, Msg: derr.Msg}})
		c.render(w, r, s, http.StatusBadRequest, "definition_edit", d)
		return
	}
	params := map[string]any{"pipeline": p.Decl}
	if len(p.Tags) > 0 {
		params["tags"] = p.Tags
	}
	_, err := c.act(r, s, "", "CreatePipeline", params, func(ctx context.Context) (any, error) {
		created, err := c.Service.CreatePipeline(ctx, s.caller, *p.Decl, p.Tags)
		if err != nil {
			return nil, err
		}
		return map[string]any{"pipeline": created.Declaration, "tags": p.Tags}, nil
	})
	if err != nil {
		c.refused(w, r, s, err, "definition_edit", &d, p)
		return
	}
	http.Redirect(w, r, pipelineURL(p.Decl.Name, ""), http.StatusSeeOther)
}
