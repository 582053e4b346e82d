package api

import (
	"context"
	"fmt"
	"strings"

	"sluice"
)

// updateAttempts bounds how often UpdateProject re-reads a project another update changed
// between its read and its write.
const updateAttempts = 5

// listProjectsPage is how many names one ListProjects page holds, as in CodeBuild.
const listProjectsPage = 100

func (s *Server) createProject(ctx context.Context, c *call) (any, error) {
	doc, err := readProjectDoc(c.body)
	if err != nil {
		return nil, err
	}
	p, err := doc.project()
	if err != nil {
		return nil, err
	}
	now := s.Engine.Clock.Now()
	p.ARN = projectARN(s.Engine.Region, s.Engine.Account, p.Name)
	p.Created, p.LastModified, p.Revision = now, now, 1
	if err := s.Store.CreateProject(ctx, p); err != nil {
		return nil, err
	}
	return projectAnswer(p)
}

// updateProject replaces the members the request gives, each whole, as CodeBuild does, and
// checks the result as CreateProject checks its input. A concurrent update between the read
// and the write makes it start again from the newer project.
func (s *Server) updateProject(ctx context.Context, c *call) (any, error) {
	changes, err := readProjectDoc(c.body)
	if err != nil {
		return nil, err
	}
	var in struct {
		Name string `json:"name"`
	}
	if err := changes.decodeInto(&in); err != nil {
		return nil, err
	}
	var m members
	m.need("name", in.Name, nonEmptyRule)
	if err := m.inputErr(); err != nil {
		return nil, err
	}
	for attempt := 1; ; attempt++ {
		p, err := s.updateOnce(ctx, in.Name, changes)
		if sluice.IsCode(err, sluice.EConflict) && attempt < updateAttempts {
			continue
		}
		if err != nil {
			return nil, err
		}
		return projectAnswer(p)
	}
}

func (s *Server) updateOnce(ctx context.Context, name string, changes projectDoc) (*sluice.BuildProject, error) {
	old, err := s.Store.GetProject(ctx, name)
	if err != nil {
		return nil, err
	}
	var doc projectDoc
	if err := decode(old.Document, &doc); err != nil {
		return nil, err
	}
	if doc == nil {
		doc = projectDoc{}
	}
	for k, v := range changes {
		if k != "name" {
			doc[k] = v
		}
	}
	p, err := doc.project()
	if err != nil {
		return nil, err
	}
	p.ARN, p.Created, p.LastModified, p.Revision = old.ARN, old.Created, s.Engine.Clock.Now(), old.Revision+1
	return p, s.Store.UpdateProject(ctx, p)
}

func projectAnswer(p *sluice.BuildProject) (any, error) {
	out, err := projectOutput(p)
	if err != nil {
		return nil, err
	}
	return map[string]any{"project": out}, nil
}

// batchGetProjects answers each name or ARN with its project, in the order asked; the ones
// Sluice does not have are listed in projectsNotFound as given.
func (s *Server) batchGetProjects(ctx context.Context, c *call) (any, error) {
	var in struct {
		Names []string `json:"names"`
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	var m members
	if in.Names == nil {
		m.null("names")
	}
	if len(in.Names) == 0 && in.Names != nil {
		m.fail("", "names", "Member must have length greater than or equal to 1")
	}
	m.atMost("names", len(in.Names), 100)
	for i, n := range in.Names {
		m.need(fmt.Sprintf("names.%d.member", i+1), n, nonEmptyRule)
	}
	if err := m.inputErr(); err != nil {
		return nil, err
	}
	out := struct {
		Projects         []projectDoc `json:"projects"`
		ProjectsNotFound []string     `json:"projectsNotFound"`
	}{Projects: []projectDoc{}, ProjectsNotFound: []string{}}
	for _, n := range in.Names {
		p, err := s.projectByNameOrARN(ctx, n)
		if sluice.IsCode(err, sluice.ENotFound) {
			out.ProjectsNotFound = append(out.ProjectsNotFound, n)
			continue
		}
		if err != nil {
			return nil, err
		}
		doc, err := projectOutput(p)
		if err != nil {
			return nil, err
		}
		out.Projects = append(out.Projects, doc)
	}
	return out, nil
}

// projectByNameOrARN finds a project by name, or by ARN when n is one: an ARN of another
// region or account names no project here.
func (s *Server) projectByNameOrARN(ctx context.Context, n string) (*sluice.BuildProject, error) {
	if !strings.HasPrefix(n, "arn:") {
		return s.Store.GetProject(ctx, n)
	}
	_, name, ok := strings.Cut(n, ":project/")
	if !ok {
		return nil, sluice.Errorf(sluice.ENotFound, "Project", "%s is not the ARN of a project.", n)
	}
	p, err := s.Store.GetProject(ctx, name)
	if err == nil && p.ARN != n {
		return nil, sluice.Errorf(sluice.ENotFound, "Project", "Project %s does not exist.", n)
	}
	return p, err
}

func (s *Server) listProjects(ctx context.Context, c *call) (any, error) {
	var in struct {
		SortBy    string `json:"sortBy"`
		SortOrder string `json:"sortOrder"`
		NextToken string `json:"nextToken"`
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	var m members
	m.opt("sortBy", in.SortBy, projectSortRule)
	m.opt("sortOrder", in.SortOrder, sortOrderRule)
	if err := m.inputErr(); err != nil {
		return nil, err
	}
	ps, next, err := s.Store.ListProjects(ctx, sluice.ProjectFilter{SortBy: sluice.ProjectSort(in.SortBy),
		Descending: in.SortOrder == "DESCENDING", Page: sluice.Page{Token: in.NextToken, Limit: listProjectsPage}})
	if sluice.IsCode(err, sluice.EInvalid) {
		// CodeBuild has no exception of its own for a bad token.
		return nil, sluice.Errorf(sluice.EInvalid, "Input", "The nextToken is not one that ListProjects returned.")
	}
	if err != nil {
		return nil, err
	}
	out := struct {
		Projects  []string `json:"projects"`
		NextToken string   `json:"nextToken,omitempty"`
	}{Projects: []string{}, NextToken: next}
	for _, p := range ps {
		out.Projects = append(out.Projects, p.Name)
	}
	return out, nil
}

// deleteProject deletes the named project; a project that does not exist is no error, as
// the model defines none for it.
func (s *Server) deleteProject(ctx context.Context, c *call) (any, error) {
	var in struct {
		Name string `json:"name"`
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	var m members
	m.need("name", in.Name, nonEmptyRule)
	if err := m.inputErr(); err != nil {
		return nil, err
	}
	if err := s.Store.DeleteProject(ctx, in.Name); err != nil && !sluice.IsCode(err, sluice.ENotFound) {
		return nil, err
	}
	return struct{}{}, nil
}
