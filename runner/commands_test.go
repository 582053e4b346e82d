package runner_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/provider/commands"
	"sluice/runner"
)

// TestRunCommands runs the Commands provider end to end: input unpacked, commands run in
// it, an output variable read back and the output artifact zipped by its files globs.
func TestRunCommands(t *testing.T) {
	t.Parallel()
	b := setup(t)
	providers, err := runner.ProviderMap(&commands.Provider{})
	require.NoError(t, err)
	b.runner.Providers = providers
	b.putZip(t, "pipe/Source/k1", map[string]string{"src/app.txt": "app"})
	job := newJob()
	job.ActionType = commands.TypeID
	job.Data = sluice.JobData{
		ActionTypeID: commands.TypeID,
		Commands: []string{
			`test "$CODEPIPELINE_INPUT_Source" = "$PWD"`,
			"mkdir -p dist/sub", "cp src/app.txt dist/sub/", "echo noise > build.log",
			"export VERSION=7",
		},
		OutputVariables: []string{"VERSION"},
		InputArtifacts:  []sluice.ArtifactRef{{Name: "Source", Key: "pipe/Source/k1"}},
		OutputArtifacts: []sluice.OutputArtifactRef{{
			ArtifactRef: sluice.ArtifactRef{Name: "BuildOut", Key: "pipe/BuildOut/k2"}, Files: []string{"dist/**/*"},
		}},
	}

	res := b.runner.Run(t.Context(), job)

	require.True(t, res.Success, res.Summary)
	require.Equal(t, map[string]string{"VERSION": "7"}, res.OutputVariables)
	require.Equal(t, map[string]string{"dist/sub/app.txt": "app"}, b.zipContent(t, "pipe/BuildOut/k2"))
	require.Contains(t, b.readLog(t, "run-1"), "Running command export VERSION=7\n")
	b.requireWorkRootEmpty(t)
}
