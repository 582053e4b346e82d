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

// TestAPIUsesTheCore keeps the HTTP surfaces translation only: api (with its sub-packages)
// reaches storage only through the core, so it never depends on a store adapter, and the
// handlers' non-test code never names the store port. (api/sigv4 adapts the access key
// store to a signature lookup, which the server's assembly wires.)
func TestAPIUsesTheCore(t *testing.T) {
	t.Parallel()
	out, err := exec.Command("go", "list", "-deps", "./api/...").Output()
	require.NoError(t, err)
	for _, dep := range strings.Fields(string(out)) {
		require.False(t, strings.HasPrefix(dep, "sluice/store"), "sluice/api must not depend on %s: call sluice/service", dep)
	}
	files, err := filepath.Glob(filepath.Join("api", "*.go"))
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
			t.Errorf("%s: api uses the store port sluice.%s: call sluice/service instead", fset.Position(use.Pos()), use.Sel.Name)
		}
	}
	require.NotZero(t, checked, "no api source found")
}

// storePortUses returns the selectors of f that name the store port or one of its parts
// (sluice.Store, sluice.Tx, sluice.Reader and the ...Store interfaces).
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
		return true
	})
	return uses
}

func isStorePort(name string) bool {
	switch name {
	case "Store", "Tx", "Reader":
		return true
	}
	return strings.HasSuffix(name, "Store") && name != "ArtifactStore" && name != "ArtifactStoreDecl"
}

func TestStorePortUsesCanFail(t *testing.T) {
	t.Parallel()
	src := "package api\nimport \"sluice\"\ntype S struct{ DB sluice.Store; J sluice.JobStore; A sluice.ArtifactStore }\n"
	f, err := parser.ParseFile(token.NewFileSet(), "x.go", src, 0)
	require.NoError(t, err)
	var names []string
	for _, u := range storePortUses(f) {
		names = append(names, u.Sel.Name)
	}
	require.Equal(t, []string{"Store", "JobStore"}, names)
}
