package node_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/config"
	"sluice/node"
)

// probeScript tries, from inside an action, what isolation must refuse: the server's keys
// and database, other processes' environments, other jobs' workspaces. Each attempt prints
// a marker when refused; nothing it may not see can reach the log but by a bug.
func probeScript(dataDir string, pids map[string]int, started, gate string) []string {
	lines := []string{
		`echo "uid: $(id -u)"`, `echo "job: $CODEPIPELINE_JOB_ID"`,
		`env | sed 's/^/env: /'`,
		"cat " + filepath.Join(dataDir, node.KeyFile) + ` || echo "refused: key file"`,
		"cat " + filepath.Join(dataDir, "sluice.db") + ` >/dev/null || echo "refused: database"`,
		"ls " + dataDir + ` || echo "refused: data directory"`,
	}
	for who, pid := range pids {
		lines = append(lines, fmt.Sprintf(`tr '\0' '\n' < /proc/%d/environ || echo "refused: %s environ"`, pid, who),
			fmt.Sprintf(`cat /proc/%d/cmdline || echo "refused: %s cmdline"`, pid, who))
	}
	return append(lines, started, gate,
		`root=$(dirname "$(dirname "$(dirname "$CODEPIPELINE_INPUT_Code")")")`,
		`ls "$root" | sed 's/^/workspace: /'`,
		`cat "$root"/*/home/canary; echo`)
}

// TestActionsCannotReachTheControlPlane runs, at once, a Commands action and a CodeBuild
// build on the server and a Commands action on a `sluice worker` whose environment holds
// the root secret; each tries to read the root key file, the database, the server's and
// the worker's /proc entries and the other jobs' workspaces. All fail, the pipeline
// succeeds, and no secret reaches a log.
func TestActionsCannotReachTheControlPlane(t *testing.T) {
	t.Parallel()
	const keyFileSecret = "KeyFileSecretThatMustNotLeak0123456789ab"
	serverWork, workerWork := workDir(t), workDir(t)
	c := setupConformanceWith(t, func(cfg *config.Server) {
		cfg.WorkDir = serverWork
		// A key file from an earlier start, beside the database: actions must not read it.
		require.NoError(t, node.WriteKey(filepath.Join(cfg.DataDir, node.KeyFile),
			sluice.AccessKey{ID: "AKIAKEYFILE000000000", Secret: keyFileSecret}))
	})
	w := startWorkerEnv(t, c.URL, nil, "--work-dir", workerWork, "--labels", "remote")
	pids := map[string]int{"server": os.Getpid(), "worker": w.cmd.Process.Pid}
	_, err := codebuildClient(c.bundle).CreateProject(c.ctx, projectInput("probe", nil))
	require.NoError(t, err)

	gate := newGate(t)
	signals := map[string]signal{"Commands": newSignal(t), "Build": newSignal(t), "Remote": newSignal(t)}
	script := func(name string) []string {
		return probeScript(c.Node.Config.DataDir, pids, signals[name].Send(), gate.Wait())
	}
	build := types.ActionDeclaration{Name: aws.String("Build"), ActionTypeId: codeBuild(types.ActionCategoryBuild),
		InputArtifacts: []types.InputArtifact{{Name: aws.String("Code")}},
		Configuration: map[string]string{"ProjectName": "probe", "BuildSpec": "version: 0.2\nphases:\n  build:\n    commands:\n      - |\n" +
			indent(strings.Join(script("Build"), "\n"), "        ")}}
	remote := labelled(cmdAction("Remote", script("Remote")...), "remote")
	exec := c.Create(t, pipeline("probe", stage("Probe", cmdAction("Commands", script("Commands")...), build, remote)))

	for _, s := range signals {
		s.Wait(t)
	}
	// Every job waits at the gate: give each workspace a canary only its own job may read.
	jobs := map[string]bool{}
	for _, root := range []string{serverWork, workerWork} {
		entries, err := os.ReadDir(root)
		require.NoError(t, err)
		for _, e := range entries {
			if e.Name() == "spool" || strings.HasPrefix(e.Name(), ".") { // the runner's own: spares, removals
				continue
			}
			if in, _ := os.ReadDir(filepath.Join(root, e.Name(), "in")); len(in) == 0 { // ready for a later job
				continue
			}
			jobs[e.Name()] = true
			require.NoError(t, os.WriteFile(filepath.Join(root, e.Name(), "home", "canary"), []byte("canary-of-"+e.Name()), 0o644))
		}
	}
	require.Len(t, jobs, 3, "the three jobs run at once")
	gate.Open(t)
	c.WaitStatus(t, "probe", exec, types.PipelineExecutionStatusSucceeded)

	for _, action := range []string{"Commands", "Build", "Remote"} {
		text, _ := c.readLog(t, "probe", c.actionRunID(t, "probe", exec, action), 0)
		job := regexp.MustCompile(`(?m)^job: (\S+)$`).FindStringSubmatch(text)
		require.NotNil(t, job, text)
		require.Contains(t, text, "uid: 65534\n", action)
		for _, refused := range []string{"key file", "database", "data directory", "server environ", "server cmdline",
			"worker environ", "worker cmdline"} {
			require.Contains(t, text, "refused: "+refused+"\n", "%s: %s", action, text)
		}
		require.NotContains(t, text, testSecret, action)
		require.NotContains(t, text, keyFileSecret, action)
		require.Contains(t, text, "workspace: "+job[1]+"\n", action)
		require.Len(t, regexp.MustCompile(`(?m)^workspace: `).FindAllString(text, -1), 1, "%s sees only its own workspace: %s", action, text)
		require.Contains(t, text, "canary-of-"+job[1], action)
		require.Equal(t, 1, strings.Count(text, "canary-of-"), "%s reads only its own canary: %s", action, text)
	}
	// The Commands action's environment is the documented list, nothing of the server's.
	text, _ := c.readLog(t, "probe", c.actionRunID(t, "probe", exec, "Commands"), 0)
	for _, m := range regexp.MustCompile(`(?m)^env: ([A-Za-z_0-9]+)=`).FindAllStringSubmatch(text, -1) {
		require.Regexp(t, `^(PATH|HOME|TMPDIR|LANG|LC_ALL|PWD|SHLVL|OLDPWD|_|CODEPIPELINE_[A-Za-z_0-9]+|CODEBUILD_[A-Za-z_0-9]+|AWS_REGION|AWS_DEFAULT_REGION)$`, m[1])
	}
}

func indent(s, prefix string) string {
	return prefix + strings.ReplaceAll(s, "\n", "\n"+prefix) + "\n"
}
