package main

import (
	"bytes"
	"runtime/debug"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestVersion(t *testing.T) {
	t.Parallel()

	t.Run("FlagPrintsIt", func(t *testing.T) {
		t.Parallel()
		root := rootCmd()
		var out bytes.Buffer
		root.SetOut(&out)
		root.SetArgs([]string{"--version"})
		require.NoError(t, root.Execute())
		require.Equal(t, "sluice "+versionString()+"\n", out.String())
	})
	t.Run("ModuleVersion", func(t *testing.T) {
		t.Parallel()
		require.Equal(t, "v1.4.0", fromBuildInfo(&debug.BuildInfo{Main: debug.Module{Version: "v1.4.0"}}))
	})
	t.Run("CommitOfADevelBuild", func(t *testing.T) {
		t.Parallel()
		info := &debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "0123456789abcdef0123"}, {Key: "vcs.modified", Value: "true"}, {Key: "vcs.time", Value: "2026-12-07T09:00:00Z"}}}
		require.Equal(t, "devel-0123456789ab-dirty (2026-12-07T09:00:00Z) go1.26.0", fromBuildInfo(info))
	})
	t.Run("NoInformation", func(t *testing.T) {
		t.Parallel()
		require.Equal(t, "devel", fromBuildInfo(&debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}))
	})
}
