package api

import (
	"context"
	"fmt"

	"sluice"
	"sluice/service"
)

func (s *Server) createProject(ctx context.Context, c *call) (any, error) {
	doc, err := readProjectDoc(c.body)
	if err != nil {
		return nil, err
	}
	p, err := doc.project()
	if err != nil {
		return nil, err
	}
	if p, err = s.Service.CreateProject(ctx, c.caller, p); err != nil {
		return nil, err
	}
	return projectAnswer(p)
}

// updateProject replaces the members the request gives, each whole, as CodeBuild does, and
// checks the result as CreateProject checks its input.
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
	p, err := s.Service.UpdateProject(ctx, c.caller, in.Name, changes.applyTo)
	if err != nil {
		return nil, err
	}
	return projectAnswer(p)
}

// applyTo is the project old becomes with these members replaced.
func (changes projectDoc) applyTo(old *sluice.BuildProject) (*sluice.BuildProject, error) {
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
	return doc.project()
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
	found, missing, err := s.Service.BatchGetProjects(ctx, c.caller, in.Names)
	if err != nil {
		return nil, err
	}
	out.ProjectsNotFound = append(out.ProjectsNotFound, missing...)
	for _, p := range found {
		doc, err := projectOutput(p)
		if err != nil {
			return nil, err
		}
		out.Projects = append(out.Projects, doc)
	}
	return out, nil
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
	ps, next, err := s.Service.ListProjects(ctx, c.caller, service.ProjectOrder{SortBy: sluice.ProjectSort(in.SortBy),
		Descending: in.SortOrder == "DESCENDING", Token: in.NextToken})
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

// deleteProject deletes the named project.
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
	if err := s.Service.DeleteProject(ctx, c.caller, in.Name); err != nil {
		return nil, err
	}
	return struct{}{}, nil
}
