package runner

import (
	"path/filepath"
	"strings"

	"sluice"
)

// DefaultPath is the PATH actions start with; operators change it with --action-env.
const DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

// baseEnv is the whole environment the runner gives an action, built from this list and
// never from the worker's own environment (which holds its keys): PATH, HOME and TMPDIR in
// the workspace, the locale, the CODEPIPELINE_* variables, then the operator's additions
// (extra), which may replace any of them. Input-artifact variables follow.
func baseEnv(job *sluice.Job, ws string, extra []string, inputs int) []string {
	env := append(make([]string, 0, 11+len(extra)+inputs),
		"PATH="+DefaultPath,
		"HOME="+filepath.Join(ws, "home"),
		"TMPDIR="+filepath.Join(ws, "tmp"),
		"LANG=C.UTF-8",
		"LC_ALL=C.UTF-8",
		"CODEPIPELINE_PIPELINE_NAME="+job.PipelineName,
		"CODEPIPELINE_EXECUTION_ID="+job.ExecutionID,
		"CODEPIPELINE_STAGE_NAME="+job.StageName,
		"CODEPIPELINE_ACTION_NAME="+job.ActionName,
		"CODEPIPELINE_ACTION_EXECUTION_ID="+job.ActionRunID,
		"CODEPIPELINE_JOB_ID="+job.ID,
	)
	return merge(env, extra)
}

// merge appends add to env, replacing the entries of names it sets.
func merge(env, add []string) []string {
	for _, kv := range add {
		name, _, _ := strings.Cut(kv, "=")
		env = drop(env, name)
		env = append(env, kv)
	}
	return env
}

func drop(env []string, name string) []string {
	out := env[:0]
	for _, kv := range env {
		if n, _, _ := strings.Cut(kv, "="); n != name {
			out = append(out, kv)
		}
	}
	return out
}

// inputEnvName makes a shell-usable variable name: artifact names may hold '-'.
func inputEnvName(artifact string) string {
	return "CODEPIPELINE_INPUT_" + strings.Map(func(r rune) rune {
		if r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
			return r
		}
		return '_'
	}, artifact)
}
