package s3deploy_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
)

// readTree returns the files under dir, slash path -> content.
func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	got := map[string]string{}
	require.NoError(t, filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		got[filepath.ToSlash(rel)] = string(b)
		return err
	}))
	return got
}

func TestRunDirectory(t *testing.T) {
	t.Parallel()

	t.Run("ExtractWritesFilesUnderObjectKey", func(t *testing.T) {
		t.Parallel()
		dest := filepath.Join(t.TempDir(), "www")
		b := setup(t, site, map[string]string{"BucketName": "file://" + dest, "Extract": "true", "ObjectKey": "site/v2/"})
		out, err := b.provider.Run(t.Context(), b.rc)
		require.NoError(t, err)
		require.Equal(t, &sluice.Outcome{Success: true, Summary: "Deployed 4 files to file://" + dest + "/site/v2"}, out)
		want := map[string]string{}
		for name, content := range site {
			want["site/v2/"+name] = content
		}
		require.Equal(t, want, readTree(t, dest), "every file in place, no temporary file left")
		require.Contains(t, b.log.String(), "upload file://"+dest+"/site/v2/index.html (15 bytes)\n")
	})
	t.Run("ExtractReplacesOldFiles", func(t *testing.T) {
		t.Parallel()
		dest := t.TempDir()
		writeFiles(t, dest, map[string]string{"index.html": "old", "keep.txt": "kept"})
		b := setup(t, map[string]string{"index.html": "new"}, map[string]string{"BucketName": "file://" + dest, "Extract": "true"})
		out, err := b.provider.Run(t.Context(), b.rc)
		require.NoError(t, err)
		require.True(t, out.Success, out.Summary)
		require.Equal(t, map[string]string{"index.html": "new", "keep.txt": "kept"}, readTree(t, dest))
	})
	t.Run("ExtractFalseWritesZip", func(t *testing.T) {
		t.Parallel()
		dest := t.TempDir()
		b := setup(t, site, map[string]string{"BucketName": "file://" + dest, "Extract": "false", "ObjectKey": "rel/site.zip"})
		out, err := b.provider.Run(t.Context(), b.rc)
		require.NoError(t, err)
		require.True(t, out.Success, out.Summary)
		data, err := os.ReadFile(filepath.Join(dest, "rel", "site.zip"))
		require.NoError(t, err)
		require.Equal(t, site, zipEntries(t, data))
		require.Len(t, readTree(t, dest), 1)
	})
	t.Run("ErrSymlinkInTargetLeadsOutside", func(t *testing.T) {
		t.Parallel()
		dest, outside := t.TempDir(), t.TempDir()
		require.NoError(t, os.Symlink(outside, filepath.Join(dest, "out")))
		b := setup(t, site, map[string]string{"BucketName": "file://" + dest, "Extract": "true", "ObjectKey": "out"})
		out, err := b.provider.Run(t.Context(), b.rc)
		require.NoError(t, err)
		require.Equal(t, sluice.FailureJobFailed, out.ErrorType)
		require.Contains(t, out.ErrorMessage, "upload file://"+dest+"/out/")
		require.Empty(t, readTree(t, outside))
	})
}

func TestRunDirectoryRefusesEscapes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, bucket, key, want string
	}{
		{"ErrDotDot", "file:///DEST", "../x", `ObjectKey "../x" would leave the directory`},
		{"ErrDotDotInside", "file:///DEST", "a/../../x", `ObjectKey "a/../../x" would leave the directory`},
		{"ErrAbsolute", "file:///DEST", "/etc", `ObjectKey "/etc" would leave the directory`},
		{"ErrRelativeURL", "file:relative/dir", "", `BucketName "file:relative/dir": a directory is named file:///absolute/path`},
		{"ErrRemoteHost", "file://server/share", "", `BucketName "file://server/share"`},
		{"ErrQuery", "file:///DEST?x=1", "", `BucketName "file:///DEST?x=1"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			parent := t.TempDir()
			dest := filepath.Join(parent, "dest")
			bucket := replaceDest(tt.bucket, dest)
			b := setup(t, site, map[string]string{"BucketName": bucket, "Extract": "true", "ObjectKey": tt.key})
			out, err := b.provider.Run(t.Context(), b.rc)
			require.NoError(t, err)
			require.Equal(t, sluice.FailureConfigurationError, out.ErrorType)
			require.Contains(t, out.ErrorMessage, replaceDest(tt.want, dest))
			require.Empty(t, readTree(t, parent), "nothing written")
		})
	}
}

// replaceDest puts the test's directory where a case says /DEST.
func replaceDest(s, dest string) string {
	return strings.ReplaceAll(s, "/DEST", filepath.ToSlash(dest))
}
