package service_test

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
)

// refuseAll is an Authorizer that refuses every access and counts what it is asked.
type refuseAll struct{ asked int }

func (r *refuseAll) Authorize(_ context.Context, c sluice.Caller, a sluice.Access) error {
	r.asked++
	return sluice.Denied(c, a, false)
}

func TestServerCaller(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("OKNotAsked", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		authz := &refuseAll{}
		b.svc.Authz = authz
		_, err := b.svc.CreateRepository(ctx, sluice.ServerCaller(), "src", "")
		require.NoError(t, err)
		require.Zero(t, authz.asked)
	})

	t.Run("ErrItsPrincipalIsNotEnough", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		authz := &refuseAll{}
		b.svc.Authz = authz
		forged := sluice.Caller{Principal: sluice.ServerPrincipal, AccessKeyID: "AKIAFORGED"}
		require.False(t, forged.IsServer())
		_, err := b.svc.CreateRepository(ctx, forged, "src", "")
		require.True(t, sluice.IsCode(err, sluice.EAccessDenied), "%v", err)
		require.Equal(t, 1, authz.asked)
		require.False(t, b.repos.repos["src"])
	})
}

// TestActionsDocumented: every action of access.go's table is in docs/security.md's
// "Actions and resources", so users can write policies for it.
func TestActionsDocumented(t *testing.T) {
	t.Parallel()
	f, err := parser.ParseFile(token.NewFileSet(), "access.go", nil, 0)
	require.NoError(t, err)
	doc, err := os.ReadFile("../docs/security.md")
	require.NoError(t, err)
	_, section, ok := strings.Cut(string(doc), "### Actions and resources")
	require.True(t, ok, "docs/security.md has no Actions and resources")
	n := 0
	for _, d := range f.Decls {
		if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.CONST {
			for _, spec := range g.Specs {
				for _, v := range spec.(*ast.ValueSpec).Values {
					action, err := strconv.Unquote(v.(*ast.BasicLit).Value)
					require.NoError(t, err)
					_, name, ok := strings.Cut(action, ":")
					if !ok {
						continue // "*"
					}
					n++
					require.True(t, strings.Contains(section, "`"+action+"`") || strings.Contains(section, "`"+name+"`"),
						"%s is not in docs/security.md's Actions and resources", action)
				}
			}
		}
	}
	require.Greater(t, n, 60)
}
