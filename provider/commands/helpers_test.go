package commands_test

import (
	"testing"

	"sluice"
	"sluice/provider/commands"
	"sluice/provider/proctest"
	"sluice/sandbox"
)

type bundle struct {
	provider *commands.Provider
	rc       *sluice.RunContext
	log      *proctest.PIDLog
}

func setup(t *testing.T, cmds ...string) *bundle {
	t.Helper()
	log := proctest.NewPIDLog()
	return &bundle{
		provider: &commands.Provider{},
		log:      log,
		rc: &sluice.RunContext{
			Job: &sluice.Job{
				ID: "job-1", ActionType: commands.TypeID,
				Data: sluice.JobData{ActionTypeID: commands.TypeID, Commands: cmds},
			},
			WorkDir:    t.TempDir(),
			ScratchDir: t.TempDir(),
			Env:        []string{"CODEPIPELINE_JOB_ID=job-1", "PATH=/usr/bin:/bin"},
			Log:        log,
			Sandbox:    sandbox.Off{},
		},
	}
}
