package storetest

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
)

// project is a build project created at second created, with a document naming it.
func project(name string, created int) *sluice.BuildProject {
	return &sluice.BuildProject{Name: name, ARN: factoryScope.ARN(sluice.ProjectARN, name),
		Buildspec: "ci/buildspec.yml", TimeoutInMinutes: 30,
		Variables: []sluice.EnvironmentVariable{{Name: "STAGE", Value: "test", Type: "PLAINTEXT"}, {Name: "EMPTY", Value: ""}},
		Document:  json.RawMessage(fmt.Sprintf(`{"name":%q,"vpcConfig":{"vpcId":"vpc-1"}}`, name)),
		Created:   at(created), LastModified: at(created), Revision: 1}
}

// testProjects checks sluice.ProjectStore.
func testProjects(t *testing.T, open func(*testing.T) sluice.Store) {
	t.Run("CreateGetUpdateDelete", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		p := project("app", 1)
		require.NoError(t, f.s.CreateProject(f.ctx, p))
		got, err := f.s.GetProject(f.ctx, "app")
		require.NoError(t, err)
		require.Equal(t, p, got)

		up := project("app", 1)
		up.Buildspec, up.TimeoutInMinutes, up.Variables = "", 5, nil
		up.Document, up.LastModified, up.Revision = json.RawMessage(`{"name":"app"}`), at(9), 2
		require.NoError(t, f.s.UpdateProject(f.ctx, up))
		got, err = f.s.GetProject(f.ctx, "app")
		require.NoError(t, err)
		require.Equal(t, up.Document, got.Document)
		require.Equal(t, at(9), got.LastModified)
		require.Equal(t, at(1), got.Created)
		require.Equal(t, 2, got.Revision)
		require.Equal(t, 5, got.TimeoutInMinutes)
		require.Empty(t, got.Buildspec)
		require.Empty(t, got.Variables)

		require.NoError(t, f.s.DeleteProject(f.ctx, "app"))
		_, err = f.s.GetProject(f.ctx, "app")
		requireCode(t, err, sluice.ENotFound, "Project")
	})

	t.Run("Errs", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		require.NoError(t, f.s.CreateProject(f.ctx, project("app", 1)))
		requireCode(t, f.s.CreateProject(f.ctx, project("app", 2)), sluice.EAlreadyExists, "Project")
		_, err := f.s.GetProject(f.ctx, "nope")
		requireCode(t, err, sluice.ENotFound, "Project")
		requireCode(t, f.s.DeleteProject(f.ctx, "nope"), sluice.ENotFound, "Project")
		gone := project("nope", 1)
		gone.Revision = 2
		requireCode(t, f.s.UpdateProject(f.ctx, gone), sluice.ENotFound, "Project")
		_, _, err = f.s.ListProjects(f.ctx, sluice.ProjectFilter{Page: sluice.Page{Token: "bogus"}})
		requireCode(t, err, sluice.EInvalid, "NextToken")
	})

	t.Run("UpdateGuardsTheRevision", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		require.NoError(t, f.s.CreateProject(f.ctx, project("app", 1)))
		first, second := project("app", 1), project("app", 1)
		first.Revision, second.Revision = 2, 2
		first.TimeoutInMinutes, second.TimeoutInMinutes = 10, 20
		require.NoError(t, f.s.UpdateProject(f.ctx, first))
		requireCode(t, f.s.UpdateProject(f.ctx, second), sluice.EConflict, "Project")
		got, err := f.s.GetProject(f.ctx, "app")
		require.NoError(t, err)
		require.Equal(t, 10, got.TimeoutInMinutes, "the late update changed nothing")
	})

	t.Run("ListOrdersAndPages", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		// Created c, a, b, d (b and d in the same second); a modified last.
		for i, name := range []string{"c", "a", "b", "d"} {
			require.NoError(t, f.s.CreateProject(f.ctx, project(name, min(i+1, 3))))
		}
		a := project("a", 2)
		a.LastModified, a.Revision = at(10), 2
		require.NoError(t, f.s.UpdateProject(f.ctx, a))

		cases := map[string]struct {
			filter sluice.ProjectFilter
			want   []string
		}{
			"NameDefault":          {sluice.ProjectFilter{}, []string{"a", "b", "c", "d"}},
			"NameDescending":       {sluice.ProjectFilter{SortBy: sluice.SortByName, Descending: true}, []string{"d", "c", "b", "a"}},
			"Created":              {sluice.ProjectFilter{SortBy: sluice.SortByCreated}, []string{"c", "a", "b", "d"}},
			"CreatedDescending":    {sluice.ProjectFilter{SortBy: sluice.SortByCreated, Descending: true}, []string{"d", "b", "a", "c"}},
			"LastModified":         {sluice.ProjectFilter{SortBy: sluice.SortByLastModified}, []string{"c", "b", "d", "a"}},
			"LastModifiedDescends": {sluice.ProjectFilter{SortBy: sluice.SortByLastModified, Descending: true}, []string{"a", "d", "b", "c"}},
		}
		for name, tc := range cases {
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				whole, next, err := f.s.ListProjects(f.ctx, tc.filter)
				require.NoError(t, err)
				require.Empty(t, next)
				require.Equal(t, tc.want, ids(whole, projectName))

				var paged []string
				page := tc.filter
				page.Limit = 1
				for {
					ps, next, err := f.s.ListProjects(f.ctx, page)
					require.NoError(t, err)
					paged = append(paged, ids(ps, projectName)...)
					if next == "" {
						break
					}
					page.Token = next
					require.Less(t, len(paged), 10, "paging does not end")
				}
				require.Equal(t, tc.want, paged)
			})
		}
	})

	t.Run("TokenOfAnotherOrder", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		require.NoError(t, f.s.CreateProject(f.ctx, project("a", 1)))
		require.NoError(t, f.s.CreateProject(f.ctx, project("b", 2)))
		_, next, err := f.s.ListProjects(f.ctx, sluice.ProjectFilter{Page: sluice.Page{Limit: 1}})
		require.NoError(t, err)
		require.NotEmpty(t, next)
		_, _, err = f.s.ListProjects(f.ctx, sluice.ProjectFilter{Page: sluice.Page{Token: next}, SortBy: sluice.SortByCreated})
		requireCode(t, err, sluice.EInvalid, "NextToken")
	})
}
