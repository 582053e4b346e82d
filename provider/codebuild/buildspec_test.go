package codebuild_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice/provider/codebuild"
)

// corpusDir holds real buildspecs from public projects (see its README).
const corpusDir = "../../../shared/corpus/buildspecs"

func corpusFile(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(corpusDir, name))
	if os.IsNotExist(err) {
		t.Skipf("corpus file %s is not here", name)
	}
	require.NoError(t, err)
	return data
}

func TestParseCorpus(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join(corpusDir, "*.yml"))
	require.NoError(t, err)
	if len(files) == 0 {
		t.Skip("the buildspec corpus is not here")
	}
	// A few fields per file, so a file that parses into nothing is caught.
	checks := map[string]func(t *testing.T, s *codebuild.Buildspec){
		"aws-amazon-ecs-agent-extract.yml": func(t *testing.T, s *codebuild.Buildspec) {
			require.Equal(t, []string{"CODEBUILD_BUILD_ID"}, s.Env.ExportedVariables)
			require.True(t, s.Env.GitCredentialHelper)
			require.Empty(t, s.Phases.InOrder())
			require.Equal(t, []string{"buildspecs/*.yml"}, s.Artifacts.Files)
		},
		"aws-amazon-ecs-agent-merge-build.yml": func(t *testing.T, s *codebuild.Buildspec) {
			require.Len(t, s.Env.ExportedVariables, 5)
			require.Contains(t, s.Phases.Build.Commands, "AGENT_VERSION=$(cat VERSION)")
			require.Contains(t, s.Artifacts.Files, "${CSI_DRIVER_TAR}.sha256")
		},
		"aws-amazon-ecs-agent-pr-build.yml": func(t *testing.T, s *codebuild.Buildspec) {
			require.Equal(t, "aws", s.Env.Variables["GITHUBUSERNAME"])
			require.NotNil(t, s.Phases.PostBuild)
			require.Empty(t, s.Phases.PostBuild.Commands)
			require.Equal(t, "$CODEBUILD_RESOLVED_SOURCE_VERSION", s.Artifacts.Name)
		},
		"aws-amazon-ecs-agent-pull-logs.yml": func(t *testing.T, s *codebuild.Buildspec) {
			require.Equal(t, "ABORT", s.Phases.PreBuild.OnFailure)
			require.Equal(t, "ABORT", s.Phases.Build.OnFailure)
		},
		"aws-aws-encryption-sdk-python-decrypt_dafny_esdk_vectors_keyrings.yml": func(t *testing.T, s *codebuild.Buildspec) {
			require.Equal(t, "Github/lucasmcdonald3-fgpat:actions read", s.Env.SecretsManager["GITHUB_TOKEN"])
			require.Equal(t, "6.0", s.Phases.Install.RuntimeVersions["dotnet"])
		},
		"aws-aws-toolkit-vscode-linuxTests.yml": func(t *testing.T, s *codebuild.Buildspec) {
			require.Equal(t, "codebuild-user", s.RunAs)
			require.Equal(t, "bash", s.Env.Shell)
			require.Equal(t, "root", s.Phases.Install.RunAs)
			require.Equal(t, []string{"*"}, s.Reports["unit-test"].Files)
		},
		"aws-s2n-tls-buildspec_generalbatch.yml": func(t *testing.T, s *codebuild.Buildspec) {
			require.Equal(t, "build-list", s.Batch.Kind)
			require.Empty(t, s.Phases.InOrder())
		},
		"aws-s2n-tls-buildspec_unit_coverage.yml": func(t *testing.T, s *codebuild.Buildspec) {
			require.Equal(t, "coverage_report", s.Artifacts.BaseDirectory)
			require.Equal(t, "/usr/bin/clang", s.Env.Variables["CC"])
		},
		"aws-samples-codepipeline-nested-cfn-v0.1-buildspec.yml": func(t *testing.T, s *codebuild.Buildspec) {
			require.Equal(t, "0.1", s.Version)
			require.Equal(t, []string{"npm install jsonlint -g"}, s.Phases.Install.Commands)
			require.Contains(t, s.Env.Variables["TEMPLATE_FILES"], "master-stack.yml\n")
		},
		"awsdocs-codebuild-user-guide-build-spec-ref-example.yml": func(t *testing.T, s *codebuild.Buildspec) {
			require.Equal(t, "/CodeBuild/dockerLoginPassword", s.Env.ParameterStore["LOGIN_PASSWORD"])
			require.Len(t, s.Phases.InOrder(), 4)
			require.Equal(t, []string{"echo This always runs even if the install command fails"}, s.Phases.Build.Finally)
			require.True(t, s.Artifacts.Secondary["artifact2"].DiscardPaths)
			require.Equal(t, "CUCUMBERJSON", s.Reports["reportGroupCucumberJson"].FileFormat)
			require.Equal(t, []string{"/root/.m2/**/*"}, s.Cache.Paths)
		},
		"awsdocs-codebuild-user-guide-sample-runtime-versions-multi.yml": func(t *testing.T, s *codebuild.Buildspec) {
			require.Empty(t, s.Artifacts.Files)
			require.Equal(t, "nodejs-app", s.Artifacts.Secondary["nodejs_artifacts"].BaseDirectory)
		},
		"awslabs-aws-deployment-framework-sample-terraform-buildspec.yml": func(t *testing.T, s *codebuild.Buildspec) {
			require.Equal(t, []string{"**/*"}, s.Artifacts.Files) // a scalar, not a list
			require.Equal(t, "1.0.10", s.Env.Variables["TERRAFORM_VERSION"])
		},
		"awslabs-aws-deployment-framework-sample-terraform-tf_plan.yml": func(t *testing.T, s *codebuild.Buildspec) {
			require.Equal(t, "true", s.Env.Variables["TF_IN_AUTOMATION"])
		},
	}
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			spec, _, err := codebuild.Parse(corpusFile(t, name))
			require.NoError(t, err)
			require.Contains(t, []string{"0.1", "0.2"}, spec.Version)
			if check := checks[name]; check != nil {
				check(t, spec)
			}
		})
	}
}

func TestParse(t *testing.T) {
	t.Parallel()

	t.Run("Warnings", func(t *testing.T) {
		t.Parallel()
		spec, warnings, err := codebuild.Parse([]byte(`version: 0.2
run-as: builder
env:
  variables: {CODEBUILD_X: "1", OK: "2"}
  exported-variables: [AWS_SECRET_ACCESS_KEY, OK]
  colour: blue
phases:
  build:
    runtime-versions: {go: 1.22}
    on-failure: RETRY-2
    commands: [make]
proxy: {logs: yes}
`))
		require.NoError(t, err)
		require.Equal(t, map[string]string{"OK": "2"}, spec.Env.Variables)
		require.Equal(t, []string{"OK"}, spec.Env.ExportedVariables)
		require.Equal(t, "ABORT", spec.Phases.Build.OnFailure)
		require.True(t, spec.Proxy.Logs)
		require.Equal(t, []string{
			"line 2: run-as is not supported: commands run as the worker's user",
			"line 4: variable CODEBUILD_X: names starting with CODEBUILD_ are reserved: ignored",
			"line 5: exported variable AWS_SECRET_ACCESS_KEY: AWS_ variables cannot be exported: ignored",
			"line 6: unknown key env.colour: ignored",
			"line 9: runtime-versions is only allowed in the install phase: ignored",
			"line 10: on-failure RETRY-2 is not supported: treated as ABORT",
			"line 12: proxy is not supported: ignored",
		}, warnings)
	})
	t.Run("AnchorsAndFlags", func(t *testing.T) {
		t.Parallel()
		spec, warnings, err := codebuild.Parse([]byte(`version: 0.2
phases:
  build:
    commands: &cmds [make, make test]
  post_build:
    commands: *cmds
artifacts:
  files: dist/**/*
  discard-paths: "yes"
  enable-symlinks: on
`))
		require.NoError(t, err)
		require.Empty(t, warnings)
		require.Equal(t, []string{"make", "make test"}, spec.Phases.PostBuild.Commands)
		require.True(t, spec.Artifacts.DiscardPaths)
		require.True(t, spec.Artifacts.EnableSymlinks)
	})

	errs := []struct {
		name, yaml, want string
	}{
		{"ErrNoVersion", "phases: {}\n", "the buildspec has no version"},
		{"ErrVersion", "version: 1.0\n", `line 1: buildspec version "1.0" is not supported (use 0.2)`},
		{"ErrEmpty", "", "the buildspec is empty"},
		{"ErrNotAMapping", "- version\n", "line 1: the buildspec must be a mapping"},
		{"ErrYAML", "version: 0.2\nphases: [\n", "invalid YAML"},
		{"ErrCommandMapping", "version: 0.2\nphases:\n  build:\n    commands:\n      - echo key: value\n",
			`line 5: phases.build.commands[0] must be a string, not a mapping (quote an item that contains ": ")`},
		{"ErrOnFailure", "version: 0.2\nphases:\n  build:\n    on-failure: IGNORE\n", `line 4: phases.build.on-failure must be ABORT or CONTINUE, not "IGNORE"`},
		{"ErrFlag", "version: 0.2\nartifacts:\n  discard-paths: maybe\n", `line 3: artifacts.discard-paths must be yes or no, not "maybe"`},
		{"ErrUnknownPhase", "version: 0.2\nphases:\n  build:\n    commands: [make]\n  deploy:\n    commands: [make deploy]\n",
			`line 5: unknown phase name "deploy" in phases`},
		{"ErrPhasesList", "version: 0.2\nphases: [build]\n", "line 2: phases must be a mapping"},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, _, err := codebuild.Parse([]byte(tt.yaml))
			require.ErrorContains(t, err, tt.want)
		})
	}
}

// TestCorpusBuilds runs real buildspecs unchanged. Only these two need nothing beyond sh
// and coreutils; the others call tools (go, npm, cmake, aws, gpg, nix) a test worker
// does not have, or PowerShell.
func TestCorpusBuilds(t *testing.T) {
	t.Parallel()

	t.Run("PipelineBatchWithTwoOutputs", func(t *testing.T) {
		t.Parallel()
		b := setup(t, string(corpusFile(t, "awsdocs-codebuild-user-guide-sample-pipeline-batch.yml")))
		b.outputs("artifact1", "artifact2")
		out := b.run(t)
		require.True(t, out.Success, out.Summary)
		require.Equal(t, "file\n", b.read(t, "output_file"))
		for _, name := range []string{"artifact1", "artifact2"} {
			require.Equal(t, []string{"output_file"}, zipNames(t, out.Artifacts[name]), name)
		}
		require.Contains(t, b.log.String(), "batch is not supported")
	})
	t.Run("ECSAgentExtract", func(t *testing.T) {
		t.Parallel()
		b := setup(t, string(corpusFile(t, "aws-amazon-ecs-agent-extract.yml")))
		writeFile(t, filepath.Join(b.src, "buildspecs", "merge-build.yml"), "version: 0.2\n")
		b.outputs("Extracted")
		out := b.run(t)
		require.True(t, out.Success, out.Summary)
		require.Equal(t, map[string]string{"CODEBUILD_BUILD_ID": "proj:job-1"}, out.OutputVariables)
		require.Equal(t, []string{"buildspecs/merge-build.yml"}, zipNames(t, out.Artifacts["Extracted"]))
	})
}
