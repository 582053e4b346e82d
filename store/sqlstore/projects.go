package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"sluice"
)

const (
	projectCols    = `name, arn, buildspec, variables, timeout, document, created, updated, revision`
	qInsertProject = `INSERT INTO build_projects (` + projectCols + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (name) DO NOTHING`
	qUpdateProject = `UPDATE build_projects SET buildspec = ?, variables = ?, timeout = ?, document = ?, updated = ?,
revision = ? WHERE name = ? AND revision = ?`
	qProject       = `SELECT ` + projectCols + ` FROM build_projects WHERE name = ?`
	qDeleteProject = `DELETE FROM build_projects WHERE name = ?`
)

// projectOrders are the ListProjects queries by sort and direction, ascending first. Each
// pages with a row value (sort key, name) past the cursor's; ?1 is true on the first page.
var projectOrders = map[sluice.ProjectSort][2]string{
	sluice.SortByName:         projectOrder(""),
	sluice.SortByCreated:      projectOrder("created"),
	sluice.SortByLastModified: projectOrder("updated"),
}

// projectOrder makes the queries of one sort key; "" sorts by name alone.
func projectOrder(key string) [2]string {
	q := `SELECT ` + projectCols + ` FROM build_projects WHERE ?1 OR (%[1]s, name) %[2]s (?2, ?3)
ORDER BY %[4]s name %[3]s LIMIT ?4`
	mk := func(cmp, dir string) string {
		rowKey, orderKey := "CAST(0 AS BIGINT)", "" // a 64-bit key, as the times it stands for
		if key != "" {
			rowKey, orderKey = key, key+" "+dir+","
		}
		return fmt.Sprintf(q, rowKey, cmp, dir, orderKey)
	}
	return [2]string{mk(">", "ASC"), mk("<", "DESC")}
}

func projectQueries() []string {
	var qs []string
	for _, o := range projectOrders {
		qs = append(qs, o[0], o[1])
	}
	return qs
}

func scanProject(sc scanner) (*sluice.BuildProject, error) {
	var (
		p                sluice.BuildProject
		vars, doc        string
		created, updated int64
	)
	err := sc.Scan(&p.Name, &p.ARN, &p.Buildspec, &vars, &p.TimeoutInMinutes, &doc, &created, &updated, &p.Revision)
	if err != nil {
		return nil, err
	}
	if err := fromJSON(vars, &p.Variables); err != nil {
		return nil, fmt.Errorf("store: project %s: variables: %w", p.Name, err)
	}
	p.Document = []byte(doc)
	p.Created, p.LastModified = tm(created), tm(updated)
	return &p, nil
}

func projectNotFound(name string) error {
	return sluice.Errorf(sluice.ENotFound, "Project", "Project %s does not exist.", name)
}

// CreateProject stores p (EAlreadyExists/Project when the name is taken).
func (e executor) CreateProject(ctx context.Context, p *sluice.BuildProject) error {
	vars, err := toJSON(p.Variables)
	if err != nil {
		return err
	}
	ok, err := e.wr().execOne(ctx, qInsertProject, p.Name, p.ARN, p.Buildspec, vars, p.TimeoutInMinutes,
		string(p.Document), ts(p.Created), ts(p.LastModified), p.Revision)
	if err != nil || ok {
		return err
	}
	return sluice.Errorf(sluice.EAlreadyExists, "Project", "Project already exists: %s", p.ARN)
}

// UpdateProject replaces the project when its stored revision is p.Revision-1.
func (e executor) UpdateProject(ctx context.Context, p *sluice.BuildProject) error {
	vars, err := toJSON(p.Variables)
	if err != nil {
		return err
	}
	return e.write(ctx, func(c conn) error {
		ok, err := c.execOne(ctx, qUpdateProject, p.Buildspec, vars, p.TimeoutInMinutes, string(p.Document),
			ts(p.LastModified), p.Revision, p.Name, p.Revision-1)
		if err != nil || ok {
			return err
		}
		if _, err := scanProject(c.queryRow(ctx, qProject, p.Name)); errors.Is(err, sql.ErrNoRows) {
			return projectNotFound(p.Name)
		} else if err != nil {
			return err
		}
		return sluice.Errorf(sluice.EConflict, "Project", "Project %s was changed by another update.", p.Name)
	})
}

// GetProject returns the named project (ENotFound/Project).
func (e executor) GetProject(ctx context.Context, name string) (*sluice.BuildProject, error) {
	p, err := scanProject(e.rd().queryRow(ctx, qProject, name))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, projectNotFound(name)
	}
	return p, err
}

// ListProjects returns one page of projects in f's order.
func (e executor) ListProjects(ctx context.Context, f sluice.ProjectFilter) ([]*sluice.BuildProject, string, error) {
	sortBy := f.SortBy
	if sortBy == "" {
		sortBy = sluice.SortByName
	}
	queries, ok := projectOrders[sortBy]
	if !ok {
		return nil, "", sluice.Errorf(sluice.EInvalid, "", "unknown project order %q", sortBy)
	}
	q, kind := queries[0], "projects/"+string(sortBy)
	if f.Descending {
		q, kind = queries[1], kind+"/desc"
	}
	limit, cur, err := parsePage(f.Page, kind)
	if err != nil {
		return nil, "", err
	}
	first := f.Token == ""
	ps, err := queryAll(ctx, e.rd(), scanProject, q, bit(first), cur.Time, cur.Name, limit+1)
	if err != nil {
		return nil, "", err
	}
	ps, next := trim(ps, limit, func(p *sluice.BuildProject) cursor {
		c := cursor{Kind: kind, Name: p.Name}
		switch sortBy {
		case sluice.SortByCreated:
			c.Time = ts(p.Created)
		case sluice.SortByLastModified:
			c.Time = ts(p.LastModified)
		}
		return c
	})
	return ps, next, nil
}

// DeleteProject removes the named project (ENotFound/Project).
func (e executor) DeleteProject(ctx context.Context, name string) error {
	ok, err := e.wr().execOne(ctx, qDeleteProject, name)
	if err != nil || ok {
		return err
	}
	return projectNotFound(name)
}

var _ sluice.ProjectStore = (*DB)(nil)
