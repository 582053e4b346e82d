package codebuild_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/provider/codebuild"
)

func TestTypes(t *testing.T) {
	t.Parallel()
	types := (&codebuild.Provider{}).Types()
	require.Len(t, types, 2)
	require.Equal(t, "Build/AWS/CodeBuild/1", types[0].ID.String())
	require.Equal(t, "Test/AWS/CodeBuild/1", types[1].ID.String())
	for _, typ := range types {
		require.Equal(t, sluice.ArtifactDetails{MinimumCount: 1, MaximumCount: 5}, typ.InputArtifactDetails)
		require.Equal(t, sluice.ArtifactDetails{MinimumCount: 0, MaximumCount: 5}, typ.OutputArtifactDetails)
		require.True(t, typ.Property("ProjectName").Required)
		require.NotNil(t, typ.Property("PrimarySource"))
		require.NotNil(t, typ.Property("EnvironmentVariables"))
	}
}

func TestPhases(t *testing.T) {
	t.Parallel()

	t.Run("StatePersists", func(t *testing.T) {
		t.Parallel()
		b := setup(t, `version: 0.2
phases:
  install:
    commands:
      - mkdir -p sub
      - cd sub
      - LOCAL=kept
      - echo "$LOCAL in $(basename "$PWD")" > ../install.txt
      - export EXPORTED=yes
      - PLAIN=carried
  pre_build:
    commands:
      - echo "$EXPORTED $PLAIN $(basename "$PWD")" > ../pre_build.txt
  build:
    commands:
      - cd ..
      - echo "$CODEBUILD_BUILD_SUCCEEDING" > build.txt
  post_build:
    commands:
      - test -f build.txt && echo "$PLAIN" > post_build.txt
`)
		out := b.run(t)
		require.True(t, out.Success, out.Summary)
		require.Equal(t, "kept in sub\n", b.read(t, "install.txt"))
		require.Equal(t, "yes carried sub\n", b.read(t, "pre_build.txt"))
		require.Equal(t, "1\n", b.read(t, "build.txt"))
		require.Equal(t, "carried\n", b.read(t, "post_build.txt"))
		require.Equal(t, "proj:job-1", out.ExternalID)
	})
	t.Run("FinallyRunsAfterFailure", func(t *testing.T) {
		t.Parallel()
		b := setup(t, `version: 0.2
phases:
  build:
    commands:
      - SEEN=by-finally
      - echo one
      - "false"
      - echo never
    finally:
      - echo "$SEEN $CODEBUILD_BUILD_SUCCEEDING" > finally.txt
`)
		out := b.run(t)
		require.False(t, out.Success)
		require.Equal(t, sluice.FailureJobFailed, out.ErrorType)
		require.True(t, strings.HasPrefix(out.Summary,
			"Phase BUILD failed: Error while executing command: false. Reason: exit status 1\n"), out.Summary)
		require.Equal(t, "by-finally 0\n", b.read(t, "finally.txt"))
		require.NotContains(t, b.log.String(), "never\n")
	})
	t.Run("BuildFailureStillRunsPostBuild", func(t *testing.T) {
		t.Parallel()
		b := setup(t, `version: 0.2
phases:
  pre_build:
    commands:
      - echo "$CODEBUILD_BUILD_SUCCEEDING" > pre_build.txt
  build:
    commands:
      - echo compiling; exit 3
  post_build:
    commands:
      - echo "$CODEBUILD_BUILD_SUCCEEDING" > post_build.txt
`)
		out := b.run(t)
		require.False(t, out.Success)
		require.Contains(t, out.Summary, "Phase BUILD failed: Error while executing command: echo compiling; exit 3. Reason: exit status 3")
		require.Contains(t, out.Summary, "compiling") // the end of the log
		require.Equal(t, "1\n", b.read(t, "pre_build.txt"))
		require.Equal(t, "0\n", b.read(t, "post_build.txt"))
	})
	t.Run("InstallFailureSkipsTheRest", func(t *testing.T) {
		t.Parallel()
		b := setup(t, `version: 0.2
phases:
  install:
    commands: ["exit 2"]
  pre_build:
    commands: [touch pre_build.txt]
  build:
    commands: [touch build.txt]
  post_build:
    commands: [touch post_build.txt]
`)
		out := b.run(t)
		require.False(t, out.Success)
		require.Contains(t, out.Summary, "Phase INSTALL failed: Error while executing command: exit 2. Reason: exit status 2")
		for _, f := range []string{"pre_build.txt", "build.txt", "post_build.txt"} {
			require.NoFileExists(t, filepath.Join(b.src, f))
		}
		require.NotContains(t, b.log.String(), "Entering phase PRE_BUILD")
	})
	t.Run("OnFailureContinue", func(t *testing.T) {
		t.Parallel()
		b := setup(t, `version: 0.2
phases:
  pre_build:
    on-failure: CONTINUE
    commands: ["false"]
  build:
    commands:
      - echo "$CODEBUILD_BUILD_SUCCEEDING" > build.txt
`)
		out := b.run(t)
		require.False(t, out.Success, "a failed phase fails the build even when the build goes on")
		require.Contains(t, out.Summary, "Phase PRE_BUILD failed")
		require.Equal(t, "0\n", b.read(t, "build.txt"))
	})
	t.Run("OnFailureAbortInBuildSkipsPostBuild", func(t *testing.T) {
		t.Parallel()
		b := setup(t, `version: 0.2
phases:
  build:
    on-failure: ABORT
    commands: ["false"]
  post_build:
    commands: [touch post_build.txt]
`)
		out := b.run(t)
		require.False(t, out.Success)
		require.NoFileExists(t, filepath.Join(b.src, "post_build.txt"))
	})
	t.Run("SetEInACommand", func(t *testing.T) {
		t.Parallel()
		// A build's own set -e ends the shell at once; the failing command is still named
		// and the phase's variables still reach finally.
		b := setup(t, `version: 0.2
phases:
  build:
    commands: ["set -e", "KEPT=yes", "false", "echo never"]
    finally: ['echo "$KEPT" > finally.txt']
`)
		out := b.run(t)
		require.False(t, out.Success)
		require.Contains(t, out.Summary, "Error while executing command: false. Reason: exit status 1")
		require.Equal(t, "yes\n", b.read(t, "finally.txt"))
	})
	t.Run("CommandIsOneUnit", func(t *testing.T) {
		t.Parallel()
		// No set -e: as in CodeBuild a command's own exit status decides, so a failing
		// step inside a block that ends well does not fail the phase.
		b := setup(t, `version: 0.2
phases:
  build:
    commands:
      - |
        false
        echo recovered > block.txt
`)
		out := b.run(t)
		require.True(t, out.Success, out.Summary)
		require.Equal(t, "recovered\n", b.read(t, "block.txt"))
	})
	t.Run("Log", func(t *testing.T) {
		t.Parallel()
		b := setup(t, "version: 0.2\nreports:\n  r: {files: ['*']}\nphases:\n  build:\n    commands:\n      - echo hi\n      - printf partial\n")
		out := b.run(t)
		require.True(t, out.Success, out.Summary)
		const at = "[Container] 2025/03/04 05:06:07.000000 "
		require.Equal(t, at+"Running proj:job-1 for project proj on a Sluice worker\n"+
			at+"Build timeout: 60 minutes\n"+
			at+"CODEBUILD_SRC_DIR="+b.src+"\n"+
			at+"YAML location is "+filepath.Join(b.src, "buildspec.yml")+"\n"+
			at+"Warning: buildspec line 3: reports are not supported: ignored\n"+
			at+"Moving to directory "+b.src+"\n"+
			at+"Entering phase BUILD\n"+
			at+"Running command echo hi\n"+
			"hi\n"+
			at+"Running command printf partial\n"+
			"partial\n"+ // a stamp starts a line of its own
			at+"Phase complete: BUILD State: SUCCEEDED\n", b.log.String())
	})
	t.Run("Version01", func(t *testing.T) {
		t.Parallel()
		b := setup(t, `version: 0.1
environment_variables:
  plaintext:
    GREETING: hello
phases:
  build:
    commands:
      echo "$GREETING" > out.txt
`)
		out := b.run(t)
		require.True(t, out.Success, out.Summary)
		require.Equal(t, "hello\n", b.read(t, "out.txt"))
		require.Contains(t, b.log.String(), "Warning: buildspec line 1: version 0.1")
	})
	t.Run("BashShell", func(t *testing.T) {
		t.Parallel()
		b := setup(t, "version: 0.2\nenv:\n  shell: bash\nphases:\n  build:\n    commands:\n      - '[[ -n $BASH_VERSION ]] && echo bash > shell.txt'\n")
		out := b.run(t)
		require.True(t, out.Success, out.Summary)
		require.Equal(t, "bash\n", b.read(t, "shell.txt"))
	})
}

func TestExportedVariables(t *testing.T) {
	t.Parallel()
	b := setup(t, `version: 0.2
env:
  exported-variables: [CODEBUILD_BUILD_ID, VERSION, MULTI, MISSING]
phases:
  pre_build:
    commands:
      - VERSION=1.2.3
  post_build:
    commands:
      - MULTI=$(printf 'a\nb')
`)
	out := b.run(t)
	require.True(t, out.Success, out.Summary)
	require.Equal(t, map[string]string{"CODEBUILD_BUILD_ID": "proj:job-1", "VERSION": "1.2.3", "MULTI": "a\nb"}, out.OutputVariables)
	require.Contains(t, b.log.String(), "Exported variable MISSING is not set: not exported")
}

func TestBuildSpecConfiguration(t *testing.T) {
	t.Parallel()

	t.Run("InlineOverridesTheSourceFile", func(t *testing.T) {
		t.Parallel()
		b := setup(t, "version: 0.2\nphases:\n  build:\n    commands: ['exit 1']\n")
		b.rc.Job.Data.Configuration["BuildSpec"] = "version: 0.2\nphases:\n  build:\n    commands: ['echo inline > inline.txt']\n"
		out := b.run(t)
		require.True(t, out.Success, out.Summary)
		require.Equal(t, "inline\n", b.read(t, "inline.txt"))
		require.Contains(t, b.log.String(), "Using the buildspec from the action's BuildSpec configuration")
	})
	t.Run("PathInTheSource", func(t *testing.T) {
		t.Parallel()
		b := setup(t, "")
		writeFile(t, filepath.Join(b.src, "ci", "spec.yml"), "version: 0.2\nphases:\n  build:\n    commands: ['echo ci > ci.txt']\n")
		b.rc.Job.Data.Configuration["BuildSpec"] = "ci/spec.yml"
		out := b.run(t)
		require.True(t, out.Success, out.Summary)
		require.Equal(t, "ci\n", b.read(t, "ci.txt"))
	})
}
