package service

import (
	"context"
	"time"

	"sluice"
)

// updateAttempts bounds how often UpdateProject re-reads a project another update changed
// between its read and its write.
const updateAttempts = 5

// listProjectsPage is how many names one ListProjects page holds, as in CodeBuild.
const listProjectsPage = 100

// NewProject gives a project read from a request its ARN, times and first revision, as
// created now in scope. `sluice run --project FILE` defines its projects with it too.
func NewProject(p *sluice.BuildProject, scope sluice.ARNScope, now time.Time) *sluice.BuildProject {
	p.ARN = scope.ARN(sluice.ProjectARN, p.Name)
	p.Created, p.LastModified, p.Revision = now, now, 1
	return p
}

// CreateProject stores a new build project (EAlreadyExists/Project).
func (s *Service) CreateProject(ctx context.Context, c sluice.Caller, p *sluice.BuildProject) (*sluice.BuildProject, error) {
	if err := s.allow(ctx, c, actCreateProject, s.projectARN(p.Name)); err != nil {
		return nil, err
	}
	NewProject(p, s.Scope(), s.Now())
	if err := s.Store.CreateProject(ctx, p); err != nil {
		return nil, err
	}
	return p, nil
}

// UpdateProject replaces a project by what change makes of the stored one, keeping its
// ARN and creation time. A concurrent update between the read and the write makes it start
// again from the newer project, a few times.
func (s *Service) UpdateProject(ctx context.Context, c sluice.Caller, name string, change func(old *sluice.BuildProject) (*sluice.BuildProject, error)) (*sluice.BuildProject, error) {
	if err := s.allow(ctx, c, actUpdateProject, s.projectARN(name)); err != nil {
		return nil, err
	}
	for attempt := 1; ; attempt++ {
		p, err := s.updateOnce(ctx, name, change)
		if sluice.IsCode(err, sluice.EConflict) && attempt < updateAttempts {
			continue
		}
		if err != nil {
			return nil, err
		}
		return p, nil
	}
}

func (s *Service) updateOnce(ctx context.Context, name string, change func(old *sluice.BuildProject) (*sluice.BuildProject, error)) (*sluice.BuildProject, error) {
	old, err := s.Store.GetProject(ctx, name)
	if err != nil {
		return nil, err
	}
	p, err := change(old)
	if err != nil {
		return nil, err
	}
	p.ARN, p.Created, p.LastModified, p.Revision = old.ARN, old.Created, s.Now(), old.Revision+1
	return p, s.Store.UpdateProject(ctx, p)
}

// BatchGetProjects returns the projects names name (or ARN), in the order asked, and the
// names of those that do not exist, as given. The caller must be allowed every one.
func (s *Service) BatchGetProjects(ctx context.Context, c sluice.Caller, names []string) (found []*sluice.BuildProject, missing []string, err error) {
	for _, n := range names {
		if err := s.allow(ctx, c, actBatchGetProjects, s.projectARN(n)); err != nil {
			return nil, nil, err
		}
	}
	for _, n := range names {
		p, err := s.project(ctx, n)
		switch {
		case sluice.IsCode(err, sluice.ENotFound):
			missing = append(missing, n)
		case err != nil:
			return nil, nil, err
		default:
			found = append(found, p)
		}
	}
	return found, missing, nil
}

// project finds a project by name, or by ARN when n is one: an ARN of another region or
// account names no project here (ENotFound/Project).
func (s *Service) project(ctx context.Context, n string) (*sluice.BuildProject, error) {
	a, err := sluice.ParseARN(n)
	if err != nil {
		return s.Store.GetProject(ctx, n)
	}
	name, ok := sluice.ProjectARN.ID(a)
	if !ok {
		return nil, sluice.Errorf(sluice.ENotFound, "Project", "%s is not the ARN of a project.", n)
	}
	p, err := s.Store.GetProject(ctx, name)
	if err == nil && p.ARN != n {
		return nil, sluice.Errorf(sluice.ENotFound, "Project", "Project %s does not exist.", n)
	}
	return p, err
}

// ProjectOrder sorts ListProjects.
type ProjectOrder struct {
	SortBy     sluice.ProjectSort
	Descending bool
	Token      string
}

// ListProjects returns one page of project names, 100 at a time.
func (s *Service) ListProjects(ctx context.Context, c sluice.Caller, o ProjectOrder) ([]*sluice.BuildProject, string, error) {
	if err := s.allow(ctx, c, actListProjects, anyResource); err != nil {
		return nil, "", err
	}
	ps, next, err := s.Store.ListProjects(ctx, sluice.ProjectFilter{SortBy: o.SortBy, Descending: o.Descending,
		Page: sluice.Page{Token: o.Token, Limit: listProjectsPage}})
	if sluice.IsCode(err, sluice.EInvalid) {
		// CodeBuild has no exception of its own for a bad token.
		return nil, "", sluice.Errorf(sluice.EInvalid, "Input", "The nextToken is not one that ListProjects returned.")
	}
	return ps, next, err
}

// DeleteProject deletes a project; one that does not exist is no error, as CodeBuild
// defines none for it.
func (s *Service) DeleteProject(ctx context.Context, c sluice.Caller, name string) error {
	if err := s.allow(ctx, c, actDeleteProject, s.projectARN(name)); err != nil {
		return err
	}
	if err := s.Store.DeleteProject(ctx, name); err != nil && !sluice.IsCode(err, sluice.ENotFound) {
		return err
	}
	return nil
}
