package codebuild_test

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/artifact/zipfile"
	"sluice/provider/codebuild"
	"sluice/provider/proctest"
	"sluice/sandbox"
)

// start is the pinned build start time: log stamps and CODEBUILD_START_TIME use it.
var start = time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)

type fixedClock struct{}

func (fixedClock) Now() time.Time { return start }

type bundle struct {
	provider *codebuild.Provider
	rc       *sluice.RunContext
	log      *proctest.PIDLog
	src      string // the primary source directory
}

// setup makes a build of project "proj" (defined, with CodeBuild's defaults) in pipeline
// "pipe", one input artifact "Src" whose directory holds buildspec (when not "") as
// buildspec.yml.
func setup(t *testing.T, buildspec string) *bundle {
	t.Helper()
	src := t.TempDir()
	if buildspec != "" {
		writeFile(t, filepath.Join(src, "buildspec.yml"), buildspec)
	}
	log := proctest.NewPIDLog()
	id := codebuild.TypeIDs[0]
	return &bundle{
		provider: &codebuild.Provider{Clock: fixedClock{}, Projects: codebuild.ProjectMap{"proj": {Name: "proj", TimeoutInMinutes: 60}}},
		log:      log,
		src:      src,
		rc: &sluice.RunContext{
			Job: &sluice.Job{
				ID: "job-1", PipelineName: "pipe", ActionType: id,
				Data: sluice.JobData{
					ActionTypeID:   id,
					Configuration:  map[string]string{"ProjectName": "proj"},
					InputArtifacts: []sluice.ArtifactRef{{Name: "Src", Key: "k/src", Revision: "abc123"}},
					PipelineArn:    "arn:aws:codepipeline:eu-west-1:123456789012:pipe",
				},
			},
			WorkDir:    src,
			InputDirs:  map[string]string{"Src": src},
			ScratchDir: t.TempDir(),
			Env:        []string{"CODEPIPELINE_JOB_ID=job-1", "CODEPIPELINE_PIPELINE_NAME=pipe", "PATH=/usr/bin:/bin"},
			Log:        log,
			Sandbox:    sandbox.Off{},
		},
	}
}

// outputs declares the action's output artifacts.
func (b *bundle) outputs(names ...string) {
	for _, n := range names {
		b.rc.Job.Data.OutputArtifacts = append(b.rc.Job.Data.OutputArtifacts,
			sluice.OutputArtifactRef{ArtifactRef: sluice.ArtifactRef{Name: n, Key: "k/" + n}})
	}
}

func (b *bundle) run(t *testing.T) *sluice.Outcome {
	t.Helper()
	out, err := b.provider.Run(t.Context(), b.rc)
	require.NoError(t, err)
	return out
}

func (b *bundle) read(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(b.src, name))
	require.NoError(t, err)
	return string(data)
}

func writeFile(t *testing.T, name, content string) {
	t.Helper()
	require.NoError(t, os.MkdirAll(filepath.Dir(name), 0o755))
	require.NoError(t, os.WriteFile(name, []byte(content), 0o644))
}

// zipNames zips an artifact source as the runner does and lists the files in it.
func zipNames(t *testing.T, src sluice.ArtifactSource) []string {
	t.Helper()
	var buf bytes.Buffer
	_, err := zipfile.WriteDir(&buf, src.Dir, src.Files)
	require.NoError(t, err)
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	require.NoError(t, err)
	var names []string
	for _, f := range zr.File {
		if !f.FileInfo().IsDir() {
			names = append(names, f.Name)
		}
	}
	sort.Strings(names)
	return names
}
