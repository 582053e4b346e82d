package zipfile_test

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice/artifact/zipfile"
)

// sourceTree is a small project: nested sources, build output, a symlink and an empty dir.
var sourceTree = []entry{
	{Name: "a.txt", Body: "a"},
	{Name: "b.go", Body: "package b"},
	{Name: "build.sh", Body: "#!/bin/sh\n", Mode: 0o755},
	{Name: "secret.key", Body: "k", Mode: 0o600},
	{Name: "src/main.go", Body: "package main"},
	{Name: "src/lib/util.go", Body: "package lib"},
	{Name: "src/lib/data.txt", Body: "data"},
	{Name: "dist/app.js", Body: "js"},
	{Name: "dist/assets/x.css", Body: "css"},
	{Name: "dist/current", Link: "app.js"},
	{Name: "empty/"},
}

func TestWriteDir(t *testing.T) {
	t.Parallel()
	setup := func(t *testing.T) string {
		t.Helper()
		dir := t.TempDir()
		makeTree(t, dir, sourceTree...)
		return dir
	}

	t.Run("RoundTripKeepsTreeModesAndLinks", func(t *testing.T) {
		t.Parallel()
		dir := setup(t)
		var buf bytes.Buffer
		n, err := zipfile.WriteDir(&buf, dir, nil)
		require.NoError(t, err)
		require.Equal(t, 10, n) // files and the link; directories are not counted
		out := filepath.Join(t.TempDir(), "out")
		require.NoError(t, zipfile.Extract(bytes.NewReader(buf.Bytes()), int64(buf.Len()), out))
		require.Equal(t, readTree(t, dir), readTree(t, out))
	})
	t.Run("ErrBadGlob", func(t *testing.T) {
		t.Parallel()
		dir := setup(t)
		for _, glob := range []string{"[", "../x", "a/../../x", "/abs"} {
			_, err := zipfile.WriteDir(&bytes.Buffer{}, dir, []string{glob})
			require.ErrorContains(t, err, glob)
		}
	})
	t.Run("ErrMissingDir", func(t *testing.T) {
		t.Parallel()
		_, err := zipfile.WriteDir(&bytes.Buffer{}, filepath.Join(t.TempDir(), "none"), nil)
		require.Error(t, err)
	})
}

func TestWriteDirGlobs(t *testing.T) {
	t.Parallel()
	everything := []string{
		"a.txt", "b.go", "build.sh", "dist/", "dist/app.js", "dist/assets/", "dist/assets/x.css",
		"dist/current", "empty/", "secret.key", "src/", "src/lib/", "src/lib/data.txt",
		"src/lib/util.go", "src/main.go",
	}
	distTree := []string{"dist/", "dist/app.js", "dist/assets/", "dist/assets/x.css", "dist/current"}
	tests := []struct {
		name  string
		globs []string
		want  []string
	}{
		{"NoGlobsTakesAll", nil, everything},
		{"DoubleStarSlashTakesAll", []string{"**/"}, everything},
		{"DoubleStarStarTakesAll", []string{"**/*"}, everything},
		{"TrailingSlashTakesTree", []string{"dist/"}, distTree},
		{"DirNameTakesTree", []string{"dist"}, distTree},
		{"DirDoubleStarSlashTakesTree", []string{"dist/**/"}, distTree},
		{"DotSlashPrefix", []string{"./dist/app.js"}, []string{"dist/app.js"}},
		{"StarStaysInOneElement", []string{"*.txt"}, []string{"a.txt"}},
		{"DoubleStarSpansElements", []string{"**/*.go"}, []string{"b.go", "src/lib/util.go", "src/main.go"}},
		{"DoubleStarInTheMiddle", []string{"src/**/*.txt"}, []string{"src/lib/data.txt"}},
		{"StarMatchingADirTakesItsTree", []string{"src/*"},
			[]string{"src/lib/", "src/lib/data.txt", "src/lib/util.go", "src/main.go"}},
		{"Union", []string{"a.txt", "dist/assets/"}, []string{"a.txt", "dist/assets/", "dist/assets/x.css"}},
		{"NothingMatches", []string{"*.md"}, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			makeTree(t, dir, sourceTree...)
			var buf bytes.Buffer
			_, err := zipfile.WriteDir(&buf, dir, tt.globs)
			require.NoError(t, err)
			require.Equal(t, tt.want, zipNames(t, buf.Bytes()))
		})
	}
}
