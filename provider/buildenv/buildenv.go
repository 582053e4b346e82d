// Package buildenv is the environment a CodeBuild build container gives the commands it
// runs (the CodeBuild user guide's "Environment variables in build environments"), for the
// providers that run code where AWS runs it on CodeBuild: CodeBuild actions and the
// Commands action (CodePipeline-managed CodeBuild compute).
//
// What a build started by CodePipeline sees, and what Sluice sets it to:
//
//	AWS_REGION, AWS_DEFAULT_REGION     the region (Build.Region, else the pipeline ARN's);
//	                                   unset when neither names one
//	CODEBUILD_BUILD_ID                 <project>:<job id>, as CodeBuild's <project>:<uuid>
//	CODEBUILD_BUILD_ARN                arn:aws:codebuild:<region>:<account>:build/<build id>
//	CODEBUILD_BUILD_NUMBER             Build.Number, else the start in Unix seconds
//	CODEBUILD_BUILD_SUCCEEDING         1 (a build that tracks failures lowers it itself)
//	CODEBUILD_INITIATOR                codepipeline/<pipeline name>
//	CODEBUILD_START_TIME               the start in Unix milliseconds
//	CODEBUILD_LOG_PATH                 the job id (the log's name in Sluice)
//	CODEBUILD_PROJECT_ARN              arn:aws:codebuild:<region>:<account>:project/<project>
//	CODEBUILD_SRC_DIR                  the primary input's directory
//	CODEBUILD_SRC_DIR_<artifact>       every other input's directory, under its own name
//	CODEBUILD_RESOLVED_SOURCE_VERSION  the primary input's source revision, when known
//	CODEBUILD_SOURCE_VERSION           the same (CodePipeline passes the revision it has)
//
// Not set, as in a CodePipeline-started build: CODEBUILD_WEBHOOK_* (only a CodeBuild
// webhook sets them), CODEBUILD_SOURCE_REPO_URL (the source is the pipeline's artifact),
// CODEBUILD_BATCH_BUILD_IDENTIFIER, CODEBUILD_PUBLIC_BUILD_URL; and CODEBUILD_BUILD_IMAGE and
// CODEBUILD_KMS_KEY_ID, which name things a Sluice worker does not have.
package buildenv

import (
	"sort"
	"strconv"
	"time"

	"sluice"
)

// Build describes one build: the job it runs for and where its inputs are.
type Build struct {
	Project      string // the build project's name
	JobID        string
	PipelineName string
	PipelineARN  string // gives the account, and the region when Region is ""
	Region       string
	Number       int64 // CODEBUILD_BUILD_NUMBER; 0 takes Start in Unix seconds
	Start        time.Time
	SrcDir       string            // the primary input's directory
	Secondary    map[string]string // the other inputs: artifact name -> directory
	Revision     string            // the primary input's revision; "" when unknown
}

// ID is the build id: "<project>:<job id>".
func (b Build) ID() string { return b.Project + ":" + b.JobID }

// ResolvedRegion is Region, else the region of the pipeline's ARN ("" when neither says).
func (b Build) ResolvedRegion() string {
	if b.Region != "" {
		return b.Region
	}
	region, _ := arnRegionAccount(b.PipelineARN)
	return region
}

// ARN is the build's ARN in the pipeline's account (us-east-1 when no region is known).
func (b Build) ARN() string { return b.scope().ARN(sluice.BuildARN, b.ID()) }

func (b Build) scope() sluice.ARNScope {
	_, account := arnRegionAccount(b.PipelineARN)
	region := b.ResolvedRegion()
	if region == "" {
		region = "us-east-1"
	}
	return sluice.ARNScope{Region: region, Account: account}
}

// Vars returns the variables by name.
func (b Build) Vars() map[string]string {
	number := b.Number
	if number == 0 {
		number = b.Start.Unix()
	}
	vars := map[string]string{
		"CODEBUILD_BUILD_ID":         b.ID(),
		"CODEBUILD_BUILD_ARN":        b.ARN(),
		"CODEBUILD_BUILD_NUMBER":     strconv.FormatInt(number, 10),
		"CODEBUILD_BUILD_SUCCEEDING": "1",
		"CODEBUILD_INITIATOR":        "codepipeline/" + b.PipelineName,
		"CODEBUILD_START_TIME":       strconv.FormatInt(b.Start.UnixMilli(), 10),
		"CODEBUILD_LOG_PATH":         b.JobID,
		"CODEBUILD_PROJECT_ARN":      b.scope().ARN(sluice.ProjectARN, b.Project),
		"CODEBUILD_SRC_DIR":          b.SrcDir,
	}
	for name, dir := range b.Secondary {
		vars["CODEBUILD_SRC_DIR_"+name] = dir
	}
	if b.Revision != "" {
		vars["CODEBUILD_RESOLVED_SOURCE_VERSION"] = b.Revision
		vars["CODEBUILD_SOURCE_VERSION"] = b.Revision
	}
	if r := b.ResolvedRegion(); r != "" {
		vars["AWS_REGION"], vars["AWS_DEFAULT_REGION"] = r, r
	}
	return vars
}

// arnRegionAccount reads the region and account of a pipeline's ARN.
func arnRegionAccount(arn string) (string, string) {
	a, err := sluice.ParseARN(arn)
	if err != nil || a.Account == "" {
		return "", "000000000000"
	}
	return a.Region, a.Account
}

// List returns Vars as KEY=VALUE pairs in name order, so runs are reproducible.
func (b Build) List() []string {
	vars := b.Vars()
	out := make([]string, 0, len(vars))
	for k, v := range vars {
		out = append(out, k+"="+v)
	}
	sort.Strings(out)
	return out
}
