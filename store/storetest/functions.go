package storetest

import (
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
)

// function is a registered function put at second sec.
func function(name string, sec int) *sluice.Function {
	return &sluice.Function{Name: name, URL: "https://fn.example.com/" + name, Secret: "secret-of-" + name,
		Created: at(sec), LastModified: at(sec)}
}

// testFunctions checks sluice.FunctionStore.
func testFunctions(t *testing.T, open func(*testing.T) sluice.Store) {
	t.Run("PutGetDelete", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		fn := function("deploy", 1)
		require.NoError(t, f.s.PutFunction(f.ctx, fn))
		got, err := f.s.GetFunction(f.ctx, "deploy")
		require.NoError(t, err)
		require.Equal(t, function("deploy", 1), got)

		require.NoError(t, f.s.DeleteFunction(f.ctx, "deploy"))
		_, err = f.s.GetFunction(f.ctx, "deploy")
		requireCode(t, err, sluice.ENotFound, "Function")
	})

	t.Run("PutReplacesKeepingCreated", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		require.NoError(t, f.s.PutFunction(f.ctx, function("deploy", 1)))
		again := &sluice.Function{Name: "deploy", URL: "http://10.0.0.7:8080/hook", Secret: "rotated",
			Created: at(9), LastModified: at(9)}
		require.NoError(t, f.s.PutFunction(f.ctx, again))
		require.Equal(t, at(1), again.Created, "the kept creation time is written back")
		got, err := f.s.GetFunction(f.ctx, "deploy")
		require.NoError(t, err)
		require.Equal(t, &sluice.Function{Name: "deploy", URL: "http://10.0.0.7:8080/hook", Secret: "rotated",
			Created: at(1), LastModified: at(9)}, got)
	})

	t.Run("Errs", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		_, err := f.s.GetFunction(f.ctx, "nope")
		requireCode(t, err, sluice.ENotFound, "Function")
		requireCode(t, f.s.DeleteFunction(f.ctx, "nope"), sluice.ENotFound, "Function")
		_, _, err = f.s.ListFunctions(f.ctx, sluice.Page{Token: "bogus"})
		requireCode(t, err, sluice.EInvalid, "NextToken")
	})

	t.Run("ListOrdersAndPages", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		for i, name := range []string{"c", "a", "d", "b"} {
			require.NoError(t, f.s.PutFunction(f.ctx, function(name, i+1)))
		}
		all, next, err := f.s.ListFunctions(f.ctx, sluice.Page{})
		require.NoError(t, err)
		require.Empty(t, next)
		require.Equal(t, []string{"a", "b", "c", "d"}, ids(all, functionName))
		require.Equal(t, "secret-of-a", all[0].Secret, "the store keeps secrets; the API masks them")

		var paged []string
		page := sluice.Page{Limit: 3}
		for {
			fs, next, err := f.s.ListFunctions(f.ctx, page)
			require.NoError(t, err)
			paged = append(paged, ids(fs, functionName)...)
			if next == "" {
				break
			}
			page.Token = next
			require.Less(t, len(paged), 10, "paging does not end")
		}
		require.Equal(t, []string{"a", "b", "c", "d"}, paged)
	})

	t.Run("TokenOfAnotherList", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		require.NoError(t, f.s.CreateProject(f.ctx, project("a", 1)))
		require.NoError(t, f.s.CreateProject(f.ctx, project("b", 2)))
		_, next, err := f.s.ListProjects(f.ctx, sluice.ProjectFilter{Page: sluice.Page{Limit: 1}})
		require.NoError(t, err)
		require.NotEmpty(t, next)
		_, _, err = f.s.ListFunctions(f.ctx, sluice.Page{Token: next})
		requireCode(t, err, sluice.EInvalid, "NextToken")
	})
}
