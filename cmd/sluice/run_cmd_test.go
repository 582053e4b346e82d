package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// runFixture is a working directory for `sluice run` with a small source directory.
type runFixture struct {
	dir    string // the process's working directory, where pipeline files go
	source string // the --source directory: hello.txt
	tmp    string // the process's TMPDIR, where the throwaway store lives
}

func setupRun(t *testing.T) *runFixture {
	t.Helper()
	dir := t.TempDir()
	f := &runFixture{dir: dir, source: filepath.Join(dir, "src"), tmp: filepath.Join(dir, "tmp")}
	require.NoError(t, os.MkdirAll(f.source, 0o755))
	require.NoError(t, os.MkdirAll(f.tmp, 0o755))
	// The sandbox's user passes through to the workspaces under TMPDIR (t.TempDir's are 0700).
	for _, d := range []string{filepath.Dir(dir), dir, f.tmp} {
		require.NoError(t, os.Chmod(d, 0o711))
	}
	require.NoError(t, os.WriteFile(filepath.Join(f.source, "hello.txt"), []byte("hello\n"), 0o644))
	return f
}

// file writes a pipeline file into the working directory and returns its name.
func (f *runFixture) file(t *testing.T, name, content string) string {
	t.Helper()
	require.NoError(t, os.WriteFile(filepath.Join(f.dir, name), []byte(content), 0o644))
	return name
}

// start starts `sluice ARGS` in the working directory; stdout and stderr share one pipe that
// the test reads as the output comes.
func (f *runFixture) start(t *testing.T, args ...string) *runProc {
	t.Helper()
	cmd := exec.Command(sluiceBinary(t), args...)
	cmd.Dir = f.dir
	cmd.Env = append(os.Environ(), "TMPDIR="+f.tmp)
	stdin, err := cmd.StdinPipe()
	require.NoError(t, err)
	pr, pw, err := os.Pipe()
	require.NoError(t, err)
	cmd.Stdout, cmd.Stderr = pw, pw
	require.NoError(t, cmd.Start())
	require.NoError(t, pw.Close()) // the child has its copy: the pipe ends when it exits
	p := &runProc{cmd: cmd, stdin: stdin, out: pr}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
		pr.Close()
	})
	return p
}

// run runs `sluice ARGS` with nothing on stdin and returns its output and exit status.
func (f *runFixture) run(t *testing.T, args ...string) (string, int) {
	t.Helper()
	p := f.start(t, args...)
	require.NoError(t, p.stdin.Close())
	return p.wait(t)
}

// runProc is a running `sluice` process.
type runProc struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	out   io.Reader
	seen  bytes.Buffer
}

// waitFor reads the output until it holds s.
func (p *runProc) waitFor(t *testing.T, s string) {
	t.Helper()
	buf := make([]byte, 4096)
	for !strings.Contains(p.seen.String(), s) {
		n, err := p.out.Read(buf)
		p.seen.Write(buf[:n])
		if err != nil {
			require.FailNowf(t, "output ended", "%q never appeared in:\n%s", s, p.seen.String())
		}
	}
}

// wait reads the output to its end and returns it with the exit status.
func (p *runProc) wait(t *testing.T) (string, int) {
	t.Helper()
	_, err := io.Copy(&p.seen, p.out)
	require.NoError(t, err)
	err = p.cmd.Wait()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return p.seen.String(), exit.ExitCode()
	}
	require.NoError(t, err)
	return p.seen.String(), 0
}

// lastLines returns the last n lines of out.
func lastLines(out string, n int) string {
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	return strings.Join(lines[max(len(lines)-n, 0):], "\n")
}

// runBuildPipeline is a V2 pipeline: a CodeCommit source stage, then a Build stage with actions.
func runBuildPipeline(name string, actions ...string) string {
	return fmt.Sprintf(`{"pipeline": {"name": %q, "pipelineType": "V2",
  "roleArn": "arn:aws:iam::000000000000:role/sluice-pipeline",
  "artifactStore": {"type": "S3", "location": "sluice-artifacts"},
  "stages": [
    {"name": "Source", "actions": [{"name": "Source", "namespace": "SourceVariables",
      "actionTypeId": {"category": "Source", "owner": "AWS", "provider": "CodeCommit", "version": "1"},
      "configuration": {"RepositoryName": "app", "BranchName": "main"}, "outputArtifacts": [{"name": "Code"}]}]},
    {"name": "Build", "actions": [%s]}]}}`, name, strings.Join(actions, ",\n"))
}

// runCommandsAction is a Commands action on the source artifact.
func runCommandsAction(name string, runOrder int, commands ...string) string {
	list, _ := json.Marshal(commands)
	return fmt.Sprintf(`{"name": %q, "runOrder": %d, "inputArtifacts": [{"name": "Code"}], "commands": %s,
  "actionTypeId": {"category": "Compute", "owner": "AWS", "provider": "Commands", "version": "1"}}`, name, runOrder, list)
}

// requireSucceeded requires a line "Succeeded <stage/action>" for each action.
func requireSucceeded(t *testing.T, out string, actions ...string) {
	t.Helper()
	for _, a := range actions {
		require.Regexp(t, regexp.MustCompile(`(?m)^  Succeeded +`+regexp.QuoteMeta(a)+` \(`), out)
	}
}

var appActions = []string{"Source/Source", "Build/Compile", "Build/Test", "Build/Package", "Approval/Approve", "Deploy/Deploy"}

func TestRunExamplePipeline(t *testing.T) {
	t.Parallel()
	f := setupRun(t)
	example, err := filepath.Abs("../../examples/app-pipeline.json")
	require.NoError(t, err)

	out, code := f.run(t, "run", example, "--source", "src", "--approve")

	require.Equal(t, 0, code, out)
	requireSucceeded(t, out, appActions...)
	require.Equal(t, "Pipeline app Succeeded", lastLines(out, 1))
	require.Contains(t, out, "Build/Compile | Running command mkdir -p out\n")
	require.Contains(t, out, "Approval/Approve | Ship 1.2.3?\n")
	require.Contains(t, out, "Deploy/Deploy | 1.2.3 passed local\n") // the source variables resolved
	entries, err := os.ReadDir(f.tmp)
	require.NoError(t, err)
	require.Empty(t, entries, "the temporary store is removed")
}

func TestRunYAMLPipeline(t *testing.T) {
	t.Parallel()
	f := setupRun(t)
	// YAML's numbers and booleans where CodePipeline has strings (version: 1,
	// PollForSourceChanges: false) are taken as their text.
	name := f.file(t, "pipeline.yaml", `
pipeline:
  name: yaml-app
  pipelineType: V2
  roleArn: arn:aws:iam::000000000000:role/sluice-pipeline
  artifactStore: {type: S3, location: sluice-artifacts}
  stages:
    - name: Source
      actions:
        - name: Source
          actionTypeId: {category: Source, owner: AWS, provider: CodeCommit, version: 1}
          configuration: {RepositoryName: app, BranchName: main, PollForSourceChanges: false}
          outputArtifacts: [{name: Code}]
    - name: Build
      actions:
        - name: Greet
          runOrder: 1
          actionTypeId: {category: Compute, owner: AWS, provider: Commands, version: 1}
          inputArtifacts: [{name: Code}]
          commands:
            - cat hello.txt
            - export GREETING=hi
          outputVariables: [GREETING]
          namespace: Greet
        - name: Echo
          runOrder: 2
          actionTypeId: {category: Compute, owner: AWS, provider: Commands, version: 1}
          inputArtifacts: [{name: Code}]
          commands: ["echo greeting=#{Greet.GREETING}"]
`)

	out, code := f.run(t, "run", name, "--source", "src")

	require.Equal(t, 0, code, out)
	requireSucceeded(t, out, "Source/Source", "Build/Greet", "Build/Echo")
	require.Contains(t, out, "Build/Greet | hello\n")
	require.Contains(t, out, "Build/Echo | greeting=hi\n")
	require.Equal(t, "Pipeline yaml-app Succeeded", lastLines(out, 1))
}

func TestRunFailingAction(t *testing.T) {
	t.Parallel()
	f := setupRun(t)
	name := f.file(t, "failing.json", runBuildPipeline("failing",
		runCommandsAction("Broken", 1, "echo about to fail", "exit 3", "echo never printed")))

	out, code := f.run(t, "run", name, "--source", "src")

	require.Equal(t, 1, code, out)
	end := lastLines(out, 8)
	require.Contains(t, end, "  Failed    Build/Broken (")
	require.Contains(t, end, "Command failed with exit status 3")
	require.Contains(t, end, "about to fail") // the end of the action's output, in the error
	require.NotContains(t, out, "never printed\n")
	require.Equal(t, "Stage Build Failed\nPipeline failing Failed", lastLines(out, 2))
}

func TestRunUnsupportedActionType(t *testing.T) {
	t.Parallel()
	f := setupRun(t)
	ecs := `{"name": "Remote", "inputArtifacts": [{"name": "Code"}], "configuration": {"ClusterName": "c", "ServiceName": "s"},
  "actionTypeId": {"category": "Deploy", "owner": "AWS", "provider": "ECS", "version": "1"}}`
	name := f.file(t, "ecs.json", runBuildPipeline("ecs", ecs))

	out, code := f.run(t, "run", name, "--source", "src")

	require.Equal(t, 1, code, out)
	require.Contains(t, out, "  Failed    Build/Remote (")
	require.Contains(t, out, "runs action type Deploy/AWS/ECS/1")
	require.Equal(t, "Pipeline ecs Failed", lastLines(out, 1))
}

func TestRunS3Deploy(t *testing.T) {
	t.Parallel()
	f := setupRun(t)
	dest := filepath.Join(f.dir, "www")
	deploy := fmt.Sprintf(`{"name": "Publish", "inputArtifacts": [{"name": "Code"}],
  "configuration": {"BucketName": "file://%s", "Extract": "true", "ObjectKey": "live"},
  "actionTypeId": {"category": "Deploy", "owner": "AWS", "provider": "S3", "version": "1"}}`, dest)
	name := f.file(t, "s3deploy.json", runBuildPipeline("s3deploy", deploy))

	out, code := f.run(t, "run", name, "--source", "src")

	require.Equal(t, 0, code, out)
	requireSucceeded(t, out, "Build/Publish")
	require.Contains(t, out, "Build/Publish | upload file://"+dest+"/live/hello.txt (6 bytes)")
	got, err := os.ReadFile(filepath.Join(dest, "live", "hello.txt"))
	require.NoError(t, err)
	require.Equal(t, "hello\n", string(got))
}

func TestRunCodeBuild(t *testing.T) {
	t.Parallel()
	f := setupRun(t)
	spec := "version: 0.2\nenv:\n  exported-variables: [GREETING]\nphases:\n  build:\n    commands:\n" +
		"      - export GREETING=hi-from-build\n      - mkdir -p dist && cp hello.txt dist/\nartifacts:\n  files: ['**/*']\n  base-directory: dist\n"
	build := fmt.Sprintf(`{"name": "Compile", "runOrder": 1, "namespace": "Build", "inputArtifacts": [{"name": "Code"}],
  "outputArtifacts": [{"name": "Dist"}], "configuration": {"ProjectName": "p", "BuildSpec": %q},
  "actionTypeId": {"category": "Build", "owner": "AWS", "provider": "CodeBuild", "version": "1"}}`, spec)
	check := `{"name": "Check", "runOrder": 2, "inputArtifacts": [{"name": "Dist"}],
  "commands": ["test -f hello.txt", "test ! -d dist", "echo got #{Build.GREETING}"],
  "actionTypeId": {"category": "Compute", "owner": "AWS", "provider": "Commands", "version": "1"}}`
	name := f.file(t, "codebuild.json", runBuildPipeline("codebuild", build, check))

	out, code := f.run(t, "run", name, "--source", "src")

	require.Equal(t, 0, code, out)
	requireSucceeded(t, out, "Build/Compile", "Build/Check")
	require.Contains(t, out, "Entering phase BUILD")
	require.Contains(t, out, "got hi-from-build")
}

// TestRunCodeBuildProject defines the action's project with --project: its buildspec path
// (not buildspec.yml), its variables (the action's override them) and its timeout.
func TestRunCodeBuildProject(t *testing.T) {
	t.Parallel()
	f := setupRun(t)
	require.NoError(t, os.MkdirAll(filepath.Join(f.source, "ci"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(f.source, "ci", "build.yml"), []byte("version: 0.2\nphases:\n  build:\n    commands:\n"+
		"      - echo \"stage=$STAGE region=$REGION_NAME\"\n"), 0o644))
	project := f.file(t, "project.yaml", `name: app-build
source: {type: CODEPIPELINE, buildspec: ci/build.yml}
artifacts: {type: CODEPIPELINE}
environment:
  type: LINUX_CONTAINER
  image: aws/codebuild/standard:7.0
  computeType: BUILD_GENERAL1_SMALL
  environmentVariables:
    - {name: STAGE, value: from-project}
    - {name: REGION_NAME, value: moon}
serviceRole: arn:aws:iam::000000000000:role/codebuild
timeoutInMinutes: 7
`)
	build := `{"name": "Compile", "inputArtifacts": [{"name": "Code"}],
  "configuration": {"ProjectName": "app-build", "EnvironmentVariables": "[{\"name\":\"STAGE\",\"value\":\"from-action\"}]"},
  "actionTypeId": {"category": "Build", "owner": "AWS", "provider": "CodeBuild", "version": "1"}}`
	name := f.file(t, "project-pipeline.json", runBuildPipeline("project", build))

	out, code := f.run(t, "run", name, "--source", "src", "--project", project)

	require.Equal(t, 0, code, out)
	requireSucceeded(t, out, "Build/Compile")
	require.Contains(t, out, "Build/Compile | stage=from-action region=moon\n")
	require.Contains(t, out, "Build timeout: 7 minutes")
}

func TestRunCodeBuildProjectErrors(t *testing.T) {
	t.Parallel()
	f := setupRun(t)
	name := f.file(t, "p.json", runBuildPipeline("p", runCommandsAction("Echo", 1, "echo hi")))
	bad := f.file(t, "bad.json", `{"name": "bad", "source": {"type": "CODEPIPELINE"}, "artifacts": {"type": "CODEPIPELINE"},
  "environment": {"type": "LINUX_CONTAINER", "image": "i", "computeType": "BUILD_GENERAL1_SMALL"}, "serviceRole": "r", "timeoutInMinutes": 1}`)
	ok := f.file(t, "ok.json", `{"name": "twice", "source": {"type": "CODEPIPELINE"}, "artifacts": {"type": "CODEPIPELINE"},
  "environment": {"type": "LINUX_CONTAINER", "image": "i", "computeType": "BUILD_GENERAL1_SMALL"}, "serviceRole": "r"}`)

	out, code := f.run(t, "run", name, "--source", "src", "--project", bad)
	require.Equal(t, 1, code, out)
	require.Contains(t, out, "--project bad.json: 1 validation error detected: Value '1' at 'timeoutInMinutes'")
	require.NotContains(t, out, "Running pipeline")

	out, code = f.run(t, "run", name, "--source", "src", "--project", ok, "--project", ok)
	require.Equal(t, 1, code, out)
	require.Contains(t, out, "project twice is already defined by ok.json")
}

func TestRunParallelActionLogs(t *testing.T) {
	t.Parallel()
	f := setupRun(t)
	// Each line is written in two pieces, so output interleaved within a line would show.
	loop := func(side string) string {
		return fmt.Sprintf(`for i in $(seq 1 200); do printf '%s %%s' "$i"; printf ' end\n'; done`, side)
	}
	name := f.file(t, "parallel.json", runBuildPipeline("parallel",
		runCommandsAction("Left", 1, loop("left")), runCommandsAction("Right", 1, loop("right"))))

	out, code := f.run(t, "run", name, "--source", "src")

	require.Equal(t, 0, code, out)
	lines := map[string][]string{}
	for _, line := range strings.Split(out, "\n") {
		if prefix, text, ok := strings.Cut(line, " | "); ok && !strings.HasPrefix(text, "Running command") {
			lines[prefix] = append(lines[prefix], text)
		}
	}
	for action, side := range map[string]string{"Build/Left": "left", "Build/Right": "right"} {
		require.Len(t, lines[action], 200, out)
		for i, text := range lines[action] {
			require.Equal(t, fmt.Sprintf("%s %d end", side, i+1), text)
		}
	}
}

func TestRunSourceVariablesFromGit(t *testing.T) {
	t.Parallel()
	f := setupRun(t)
	git := func(args ...string) string {
		cmd := exec.Command("git", append([]string{"-C", f.source, "-c", "user.name=T", "-c", "user.email=t@example.com"}, args...)...)
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, string(out))
		return strings.TrimSpace(string(out))
	}
	git("init", "-q", "-b", "main")
	git("add", ".")
	git("commit", "-q", "-m", "Say hello")
	sha := git("rev-parse", "HEAD")
	name := f.file(t, "vars.json", runBuildPipeline("vars",
		runCommandsAction("Show", 1, "echo 'commit #{SourceVariables.CommitId} on #{SourceVariables.BranchName}: #{SourceVariables.CommitMessage}'")))

	out, code := f.run(t, "run", name, "--source", "src")

	require.Equal(t, 0, code, out)
	require.Contains(t, out, "Build/Show | commit "+sha+" on main: Say hello\n")
}

func TestRunApprovalOnStdin(t *testing.T) {
	t.Parallel()
	example, err := filepath.Abs("../../examples/app-pipeline.json")
	require.NoError(t, err)
	const prompt = "Approve Approval/Approve? [y/N] "

	t.Run("Rejected", func(t *testing.T) {
		t.Parallel()
		p := setupRun(t).start(t, "run", example, "--source", "src")
		p.waitFor(t, prompt)
		_, err := io.WriteString(p.stdin, "n\n")
		require.NoError(t, err)

		out, code := p.wait(t)

		require.Equal(t, 1, code, out)
		require.Contains(t, out, prompt+"n\n")
		require.Contains(t, out, "  Failed    Approval/Approve (")
		require.NotContains(t, out, "Deploy/Deploy")
		require.Equal(t, "Pipeline app Failed", lastLines(out, 1))
	})

	t.Run("Approved", func(t *testing.T) {
		t.Parallel()
		p := setupRun(t).start(t, "run", example, "--source", "src")
		p.waitFor(t, prompt)
		_, err := io.WriteString(p.stdin, "y\n")
		require.NoError(t, err)

		out, code := p.wait(t)

		require.Equal(t, 0, code, out)
		requireSucceeded(t, out, appActions...)
		require.Equal(t, "Pipeline app Succeeded", lastLines(out, 1))
	})

	t.Run("NoAnswerRejects", func(t *testing.T) {
		t.Parallel()
		out, code := setupRun(t).run(t, "run", example, "--source", "src")

		require.Equal(t, 1, code, out)
		require.Contains(t, out, prompt+"no answer (end of input)\n")
		require.Equal(t, "Pipeline app Failed", lastLines(out, 1))
	})
}

func TestRunInterrupted(t *testing.T) {
	t.Parallel()
	f := setupRun(t)
	name := f.file(t, "slow.json", runBuildPipeline("slow", runCommandsAction("Slow", 1, "echo started", "sleep 600")))
	p := f.start(t, "run", name, "--source", "src")
	p.waitFor(t, "Build/Slow | started\n")

	require.NoError(t, p.cmd.Process.Signal(os.Interrupt))
	out, code := p.wait(t)

	require.Equal(t, 130, code, out)
	require.Contains(t, out, "Interrupted: stopping pipeline slow\n")
	require.NotContains(t, out, "Succeeded Build/Slow")
	entries, err := os.ReadDir(f.tmp)
	require.NoError(t, err)
	require.Empty(t, entries, "the temporary store is removed")
}

func TestRunInvalidPipelineFile(t *testing.T) {
	t.Parallel()
	valid := runBuildPipeline("invalid", runCommandsAction("Build", 1, "true"))

	for _, tc := range []struct {
		name, file, content string
		want                []string
	}{
		{name: "ErrFieldConstraint", file: "p.json",
			content: strings.Replace(valid, `"location": "sluice-artifacts"`, `"location": "b"`, 1),
			want:    []string{"p.json: ", "validation error", "pipeline.artifactStore.location"}},
		{name: "ErrV2OnlyFieldOnV1", file: "p.json",
			content: strings.Replace(valid, `"pipelineType": "V2"`, `"pipelineType": "V1"`, 1),
			want:    []string{"actionTypeId", "only supported by V2 pipelines"}},
		{name: "ErrUnknownField", file: "p.json",
			content: strings.Replace(valid, `"inputArtifacts"`, `"inputArtifact"`, 1),
			want:    []string{`unknown field "inputArtifact"`}},
		{name: "ErrWrongType", file: "p.json",
			content: strings.Replace(valid, `"runOrder": 1`, `"runOrder": "first"`, 1),
			want:    []string{"line 8: ", "pipeline.stages.actions.runOrder must be a whole number"}},
		{name: "ErrNotJSON", file: "p.json", content: "{\"name\": \"x\",\n \"stages\": [}\n",
			want: []string{"line 2: not valid JSON"}},
		{name: "ErrNotYAML", file: "p.yaml", content: "name: x\nstages: [\n",
			want: []string{"p.yaml: not valid JSON or YAML"}},
		{name: "ErrEmpty", file: "p.yaml", content: "\n", want: []string{"p.yaml: the file is empty"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := setupRun(t)
			name := f.file(t, tc.file, tc.content)

			out, code := f.run(t, "run", name, "--source", "src")

			require.Equal(t, 1, code, out)
			require.NotContains(t, out, "Running pipeline")
			for _, w := range tc.want {
				require.Contains(t, out, w)
			}
		})
	}

	t.Run("ErrNoFile", func(t *testing.T) {
		t.Parallel()
		out, code := setupRun(t).run(t, "run")
		require.Equal(t, 1, code, out)
		require.Contains(t, out, "sluice run FILE")
	})

	t.Run("ErrSourceMissing", func(t *testing.T) {
		t.Parallel()
		f := setupRun(t)
		name := f.file(t, "p.json", valid)
		out, code := f.run(t, "run", name, "--source", "nowhere")
		require.Equal(t, 1, code, out)
		require.Contains(t, out, "--source nowhere is not a directory")
	})
}

func TestHelp(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, command string
		want          []string
	}{
		{name: "Root", command: "", want: []string{"server", "run", "credentials"}},
		{name: "Server", command: "server", want: []string{"--listen", "--data-dir", "--region", "--account-id", "--workers", "--public-url",
			"--work-dir", "SLUICE_LISTEN", "SLUICE_DATA_DIR", "SLUICE_ACCESS_KEY_ID", "SLUICE_SECRET_ACCESS_KEY"}},
		{name: "Run", command: "run", want: []string{"sluice run FILE", "--source", "--approve", "--workers", "--region", "YAML",
			"stage/action", "Exit status", "130", "Examples:"}},
		{name: "Credentials", command: "credentials", want: []string{"--data-dir", "SLUICE_DATA_DIR", "--region"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			args := []string{"--help"}
			if tc.command != "" {
				args = []string{tc.command, "--help"}
			}
			out, code := setupRun(t).run(t, args...)
			require.Equal(t, 0, code, out)
			for _, w := range tc.want {
				require.Contains(t, out, w)
			}
		})
	}
}

func TestRunVariables(t *testing.T) {
	t.Parallel()
	f := setupRun(t)
	pipeline := `{"pipeline": {"name": "vars", "pipelineType": "V2",
  "roleArn": "arn:aws:iam::000000000000:role/sluice-pipeline",
  "artifactStore": {"type": "S3", "location": "sluice-artifacts"},
  "variables": [{"name": "env"}, {"name": "region", "defaultValue": "eu"}],
  "stages": [
    {"name": "Source", "actions": [{"name": "Source",
      "actionTypeId": {"category": "Source", "owner": "AWS", "provider": "CodeCommit", "version": "1"},
      "configuration": {"RepositoryName": "app", "BranchName": "main"}, "outputArtifacts": [{"name": "Code"}]}]},
    {"name": "Build", "actions": [` + runCommandsAction("Show", 1, "echo deploying to #{variables.env} in #{variables.region}") + `]}]}}`
	name := f.file(t, "vars.json", pipeline)

	out, code := f.run(t, "run", name, "--source", "src", "--variable", "env=prod")
	require.Equal(t, 0, code, out)
	require.Contains(t, out, "deploying to prod in eu")

	out, code = f.run(t, "run", name, "--source", "src", "--variable", "nope=1")
	require.NotEqual(t, 0, code)
	require.Contains(t, out, "declares no variable nope")

	out, code = f.run(t, "run", name, "--source", "src")
	require.NotEqual(t, 0, code, "a variable without a default and no --variable fails the action that uses it")
	require.Contains(t, out, "#{variables.env}")
}
