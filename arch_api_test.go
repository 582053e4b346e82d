package sluice_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// httpSurfaces are the packages that serve HTTP to users (the API, the webhook endpoints; a
// console later): translation only, they reach storage through the core (hookserve through
// trigger's decisions).
var httpSurfaces = []string{"api", "hookserve"}

// TestHTTPSurfacesUseTheCore keeps the HTTP surfaces translation only: each (with its
// sub-packages) never depends on a store adapter, and its own non-test code never names the
// store port. (api/sigv4 adapts the access key store to a signature lookup, which the
// server's assembly wires.)
func TestHTTPSurfacesUseTheCore(t *testing.T) {
	t.Parallel()
	for _, dir := range httpSurfaces {
		out, err := exec.Command("go", "list", "-deps", "./"+dir+"/...").Output()
		require.NoError(t, err)
		for _, dep := range strings.Fields(string(out)) {
			require.False(t, strings.HasPrefix(dep, "sluice/store"), "sluice/%s must not depend on %s: call sluice/service", dir, dep)
		}
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		require.NoError(t, err)
		fset := token.NewFileSet()
		checked := 0
		for _, name := range files {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
			require.NoError(t, err)
			checked++
			for _, use := range storePortUses(f) {
				t.Errorf("%s: %s uses the store port sluice.%s: call sluice/service instead", fset.Position(use.Pos()), dir, use.Sel.Name)
			}
		}
		require.NotZero(t, checked, "no source found in %s", dir)
	}
}

// storePortUses returns the selectors of f that name the store port or one of its parts
// (sluice.Store, its Tx, Executor, Reader, Notifier and Outbox, and the ...Store interfaces),
// or reach the core's store or engine (x.Service.Store, x.Service.Engine).
func storePortUses(f *ast.File) []*ast.SelectorExpr {
	var uses []*ast.SelectorExpr
	ast.Inspect(f, func(n ast.Node) bool {
		sel, ok := n.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		if x, ok := sel.X.(*ast.Ident); ok && x.Name == "sluice" && isStorePort(sel.Sel.Name) {
			uses = append(uses, sel)
		}
		// Reaching through the core to its store or engine (s.Service.Store) is the same.
		if x, ok := sel.X.(*ast.SelectorExpr); ok && x.Sel.Name == "Service" && (sel.Sel.Name == "Store" || sel.Sel.Name == "Engine") {
			uses = append(uses, sel)
		}
		return true
	})
	return uses
}

func isStorePort(name string) bool {
	switch name {
	case "Store", "Tx", "Executor", "Reader", "Notifier", "Outbox":
		return true
	}
	return strings.HasSuffix(name, "Store") && name != "ArtifactStore" && name != "ArtifactStoreDecl"
}

func TestStorePortUsesCanFail(t *testing.T) {
	t.Parallel()
	src := "package api\nimport \"sluice\"\ntype S struct{ DB sluice.Store; J sluice.JobStore; A sluice.ArtifactStore }\n" +
		"func f(s *Server) { s.Service.Store.GetJob(); s.Service.GetJob() }\n"
	f, err := parser.ParseFile(token.NewFileSet(), "x.go", src, 0)
	require.NoError(t, err)
	var names []string
	for _, u := range storePortUses(f) {
		names = append(names, u.Sel.Name)
	}
	require.Equal(t, []string{"Store", "JobStore", "Store"}, names)
}
