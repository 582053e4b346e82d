package codebuild_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
)

// makeTree is a build phase that leaves files to pick artifacts from.
const makeTree = `phases:
  build:
    commands:
      - mkdir -p dist/lib reports/a reports/b
      - echo app > dist/app.js
      - echo lib > dist/lib/x.js
      - echo 1 > reports/a/r1.xml
      - echo 2 > reports/b/r2.xml
      - echo skip > reports/b/notes.txt
      - VERSION=1.2
`

func TestArtifacts(t *testing.T) {
	t.Parallel()

	t.Run("PrimaryAndSecondaryToTwoOutputs", func(t *testing.T) {
		t.Parallel()
		b := setup(t, "version: 0.2\n"+makeTree+`
artifacts:
  files: ['**/*']
  base-directory: dist
  secondary-artifacts:
    Reports:
      files: ['reports/**/*.xml']
      discard-paths: yes
`)
		b.outputs("App", "Reports")
		out := b.run(t)
		require.True(t, out.Success, out.Summary)
		require.Equal(t, sluice.ArtifactSource{Dir: filepath.Join(b.src, "dist"), Files: []string{"**/*"}}, out.Artifacts["App"])
		require.Equal(t, []string{"app.js", "lib/x.js"}, zipNames(t, out.Artifacts["App"]))
		require.Equal(t, filepath.Join(b.rc.ScratchDir, "Reports"), out.Artifacts["Reports"].Dir)
		require.Equal(t, []string{"r1.xml", "r2.xml"}, zipNames(t, out.Artifacts["Reports"]))
	})
	t.Run("SecondaryByNameWithOneOutput", func(t *testing.T) {
		t.Parallel()
		b := setup(t, "version: 0.2\n"+makeTree+`
artifacts:
  secondary-artifacts:
    Web:
      base-directory: dist
      files: [app.js]
`)
		b.outputs("Web")
		out := b.run(t)
		require.True(t, out.Success, out.Summary)
		require.Equal(t, []string{"app.js"}, zipNames(t, out.Artifacts["Web"]))
	})
	t.Run("ExcludePathsAndVariables", func(t *testing.T) {
		t.Parallel()
		b := setup(t, "version: 0.2\n"+makeTree+`      - cp dist/app.js app-$VERSION.js
artifacts:
  files: ['app-$VERSION.js', 'reports/']
  exclude-paths: ['**/*.txt', reports/a/]
`)
		b.outputs("Out")
		out := b.run(t)
		require.True(t, out.Success, out.Summary)
		require.Equal(t, []string{"app-1.2.js", "reports/b/r2.xml"}, zipNames(t, out.Artifacts["Out"]))
	})
	t.Run("ErrMissingOutput", func(t *testing.T) {
		t.Parallel()
		b := setup(t, "version: 0.2\n"+makeTree+`
artifacts:
  secondary-artifacts:
    App: {files: ['dist/**/*']}
`)
		b.outputs("App", "Docs")
		out := b.run(t)
		require.False(t, out.Success)
		require.Equal(t, sluice.FailureJobFailed, out.ErrorType)
		require.Equal(t, "output artifact Docs is not produced: the buildspec's secondary-artifacts have no identifier Docs (they have: App)", out.Summary)
		require.NoDirExists(t, filepath.Join(b.src, "dist"), "the build does not run")
	})
	t.Run("ErrNoArtifactsSection", func(t *testing.T) {
		t.Parallel()
		b := setup(t, "version: 0.2\n"+makeTree)
		b.outputs("Out")
		out := b.run(t)
		require.False(t, out.Success)
		require.Contains(t, out.Summary, "no artifacts section, so output artifact Out would not be produced")
	})
	t.Run("ErrNothingMatches", func(t *testing.T) {
		t.Parallel()
		b := setup(t, "version: 0.2\n"+makeTree+"artifacts:\n  files: ['*.jar']\n  discard-paths: yes\n")
		b.outputs("Out")
		out := b.run(t)
		require.False(t, out.Success)
		require.Contains(t, out.Summary, "Phase UPLOAD_ARTIFACTS failed: no matching artifact paths found for output artifact Out")
	})
	t.Run("ErrNoBaseDirectory", func(t *testing.T) {
		t.Parallel()
		b := setup(t, "version: 0.2\n"+makeTree+"artifacts:\n  files: ['**/*']\n  base-directory: build/out\n")
		b.outputs("Out")
		out := b.run(t)
		require.False(t, out.Success)
		require.Contains(t, out.Summary, "no matching base directory path found for build/out")
	})
	t.Run("ErrBaseDirectoryOutsideTheWorkspace", func(t *testing.T) {
		t.Parallel()
		// The worker reads artifacts with its own rights: neither an absolute path nor a
		// symlink the build made may point it elsewhere.
		secret := t.TempDir()
		for _, base := range []string{secret, "escape"} {
			b := setup(t, "version: 0.2\n"+makeTree+"      - ln -s "+secret+" escape\nartifacts:\n  files: ['**/*']\n  base-directory: "+base+"\n")
			b.outputs("Out")
			out := b.run(t)
			require.False(t, out.Success, base)
			require.Contains(t, out.Summary, "is outside the build's workspace", base)
		}
	})
	t.Run("NoOutputsIgnoresArtifacts", func(t *testing.T) {
		t.Parallel()
		b := setup(t, "version: 0.2\n"+makeTree+"artifacts:\n  files: ['*.jar']\n")
		out := b.run(t)
		require.True(t, out.Success, out.Summary)
		require.Empty(t, out.Artifacts)
	})
	t.Run("SymlinksStayLinks", func(t *testing.T) {
		t.Parallel()
		b := setup(t, "version: 0.2\n"+makeTree+"      - ln -s app.js dist/link.js\nartifacts:\n  files: ['dist/*']\n  discard-paths: yes\n")
		b.outputs("Out")
		out := b.run(t)
		require.True(t, out.Success, out.Summary)
		target, err := os.Readlink(filepath.Join(out.Artifacts["Out"].Dir, "link.js"))
		require.NoError(t, err)
		require.Equal(t, "app.js", target)
	})
}
