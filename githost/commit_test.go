package githost

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice"
)

// seeded is a repository "app" with two commits on main, an annotated tag v1 on the first,
// and the ids of both commits.
type seeded struct {
	*testBundle
	first, second string
}

func setupSeeded(t *testing.T) *seeded {
	t.Helper()
	b := setup(t)
	work := b.create(t, "app")
	first := b.commit(t, work, "first", map[string]string{"README.md": "hello\n"})
	b.git(t, work, "tag", "-a", "-m", "release 1", "v1")
	second := b.commit(t, work, "Add the app\n\nWith a body.", map[string]string{"src/main.go": "package main\n"})
	b.git(t, work, "push", "--quiet", "origin", "main", "v1")
	<-b.pushes
	return &seeded{testBundle: b, first: first, second: second}
}

func TestResolveRef(t *testing.T) {
	t.Parallel()
	s := setupSeeded(t)
	ctx := context.Background()

	for ref, want := range map[string]string{"main": s.second, "refs/heads/main": s.second, "refs/tags/v1": s.first} {
		sha, err := s.host.ResolveRef(ctx, "app", ref)
		require.NoError(t, err, ref)
		require.Equal(t, want, sha, ref)
	}

	_, err := s.host.ResolveRef(ctx, "app", "develop")
	requireCode(t, err, sluice.ENotFound, "Branch")
	_, err = s.host.ResolveRef(ctx, "app", "refs/tags/v2")
	requireCode(t, err, sluice.ENotFound, "Reference")
	_, err = s.host.ResolveRef(ctx, "app", "main~1")
	requireCode(t, err, sluice.ENotFound, "Branch")
	_, err = s.host.ResolveRef(ctx, "missing", "main")
	requireCode(t, err, sluice.ENotFound, "Repository")
	_, err = s.host.ResolveRef(ctx, "bad name", "main")
	requireCode(t, err, sluice.EInvalid, "RepositoryName")
}

func TestCommit(t *testing.T) {
	t.Parallel()
	s := setupSeeded(t)
	ctx := context.Background()

	info, err := s.host.Commit(ctx, "app", s.second[:12])
	require.NoError(t, err)
	tree := s.git(t, s.host.dir("app"), "rev-parse", s.second+"^{tree}")
	require.Equal(t, CommitInfo{
		ID: s.second, Tree: tree, Parents: []string{s.first},
		Message:    "Add the app\n\nWith a body.",
		AuthorName: "Ada Lovelace", AuthorEmail: "ada@example.com",
		AuthorDate:    time.Date(2025, 3, 14, 15, 9, 26, 0, time.FixedZone("", 3600)),
		CommitterName: "Sluice Bot", CommitterEmail: "bot@example.com",
		CommitterDate: time.Date(2025, 3, 14, 16, 0, 0, 0, time.UTC),
	}, normalizeZones(info))

	_, err = s.host.Commit(ctx, "app", strings.Repeat("ab", 20))
	requireCode(t, err, sluice.ENotFound, "Commit")
	_, err = s.host.Commit(ctx, "app", "main")
	requireCode(t, err, sluice.EInvalid, "CommitId")
	_, err = s.host.Commit(ctx, "missing", s.second)
	requireCode(t, err, sluice.ENotFound, "Repository")
}

// normalizeZones makes the dates comparable with ==: same instant and offset, no zone name.
func normalizeZones(c CommitInfo) CommitInfo {
	fix := func(t time.Time) time.Time {
		_, offset := t.Zone()
		if offset == 0 {
			return t.UTC()
		}
		return t.In(time.FixedZone("", offset))
	}
	c.AuthorDate, c.CommitterDate = fix(c.AuthorDate), fix(c.CommitterDate)
	return c
}

func TestArchive(t *testing.T) {
	t.Parallel()
	s := setupSeeded(t)
	ctx := context.Background()

	var buf bytes.Buffer
	require.NoError(t, s.host.Archive(ctx, "app", s.second, &buf))
	require.Equal(t, map[string]string{"README.md": "hello\n", "src/main.go": "package main\n"}, unzip(t, buf.Bytes()))

	buf.Reset()
	require.NoError(t, s.host.Archive(ctx, "app", s.first, &buf))
	require.Equal(t, map[string]string{"README.md": "hello\n"}, unzip(t, buf.Bytes()))

	err := s.host.Archive(ctx, "app", strings.Repeat("ab", 20), io.Discard)
	requireCode(t, err, sluice.ENotFound, "Commit")
}

// unzip returns the files of a zip (directories left out) with their content.
func unzip(t *testing.T, data []byte) map[string]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	require.NoError(t, err)
	files := map[string]string{}
	for _, f := range zr.File {
		if strings.HasSuffix(f.Name, "/") {
			continue
		}
		rc, err := f.Open()
		require.NoError(t, err)
		content, err := io.ReadAll(rc)
		require.NoError(t, err)
		require.NoError(t, rc.Close())
		files[f.Name] = string(content)
	}
	return files
}
