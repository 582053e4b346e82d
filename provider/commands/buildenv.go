package commands

import (
	"time"

	"sluice"
	"sluice/provider/buildenv"
)

// Project is the build project CODEBUILD_BUILD_ID and CODEBUILD_PROJECT_ARN name: AWS runs
// Commands on CodePipeline-managed CodeBuild compute, whose project the pipeline does not
// declare, so Sluice names one for every Commands action.
const Project = "codepipeline-commands"

// codebuildEnv is what a CodeBuild container gives the commands (see package buildenv): the
// first input is CODEBUILD_SRC_DIR, every other input CODEBUILD_SRC_DIR_<artifact name>.
func (p *Provider) codebuildEnv(rc *sluice.RunContext) []string {
	job := rc.Job
	b := buildenv.Build{Project: Project, JobID: job.ID, PipelineName: job.PipelineName,
		PipelineARN: job.Data.PipelineArn, Region: p.Region, Start: p.now(),
		SrcDir: rc.WorkDir, Secondary: map[string]string{}}
	for i, in := range job.Data.InputArtifacts {
		if i == 0 {
			b.Revision = in.Revision
			continue
		}
		if dir := rc.InputDirs[in.Name]; dir != "" {
			b.Secondary[in.Name] = dir
		}
	}
	if b.Revision == "" && job.Data.Revision != nil {
		b.Revision = job.Data.Revision.RevisionID
	}
	return b.List()
}

func (p *Provider) now() time.Time {
	if p.Clock != nil {
		return p.Clock.Now()
	}
	return time.Now()
}
