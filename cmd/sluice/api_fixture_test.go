package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codecommit"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/stretchr/testify/require"

	"sluice/config"
)

// srcRepo is the repository every pipeline of a conformance fixture reads. It gets one
// commit before any pipeline exists, so no push ever starts an execution in these tests.
const srcRepo = "src"

// conformance is a running server with a source repository holding one commit: pipelines
// built with pipeline() run their first execution (trigger CreatePipeline) on it.
type conformance struct {
	*bundle
	ctx context.Context
}

func setupConformance(t *testing.T) *conformance {
	t.Helper()
	return setupConformanceWith(t, func(*config.Server) {})
}

// setupConformanceWith is setupConformance on a server whose configuration edit may change.
func setupConformanceWith(t *testing.T, edit func(*config.Server)) *conformance {
	t.Helper()
	b := setupWith(t, edit)
	b.seedRepo(t, srcRepo)
	return &conformance{bundle: b, ctx: context.Background()}
}

// seedRepo creates the hosted repository name with one commit on main: a README that says
// "conformance".
func (b *bundle) seedRepo(t *testing.T, name string) {
	t.Helper()
	repo, err := b.cc.CreateRepository(context.Background(), &codecommit.CreateRepositoryInput{RepositoryName: aws.String(name)})
	require.NoError(t, err)
	env, work := gitEnv(t), t.TempDir()
	git(t, env, work, "clone", "-q", authURL(*repo.RepositoryMetadata.CloneUrlHttp), name)
	dir := filepath.Join(work, name)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "README"), []byte("conformance\n"), 0o644))
	git(t, env, dir, "add", "README")
	git(t, env, dir, "commit", "-q", "-m", "First commit")
	git(t, env, dir, "push", "-q", "origin", "HEAD:main")
	// The push is announced asynchronously: let it be handled now, while no pipeline exists,
	// rather than after a test's CreatePipeline, where it would start a second execution.
	b.main.Repos.Wait()
}

// pipeline declares a V2 pipeline: a CodeCommit source stage "Source" (output artifact
// "Code") followed by stages.
func pipeline(name string, stages ...types.StageDeclaration) *types.PipelineDeclaration {
	source := types.StageDeclaration{Name: aws.String("Source"), Actions: []types.ActionDeclaration{{
		Name:            aws.String("Source"),
		ActionTypeId:    &types.ActionTypeId{Category: types.ActionCategorySource, Owner: types.ActionOwnerAws, Provider: aws.String("CodeCommit"), Version: aws.String("1")},
		Configuration:   map[string]string{"RepositoryName": srcRepo, "BranchName": "main", "PollForSourceChanges": "false"},
		OutputArtifacts: []types.OutputArtifact{{Name: aws.String("Code")}},
	}}}
	return &types.PipelineDeclaration{Name: aws.String(name), RoleArn: aws.String("arn:aws:iam::000000000000:role/sluice-pipeline"),
		ArtifactStore: &types.ArtifactStore{Type: types.ArtifactStoreTypeS3, Location: aws.String("sluice-artifacts")},
		PipelineType:  types.PipelineTypeV2, Stages: append([]types.StageDeclaration{source}, stages...)}
}

func stage(name string, actions ...types.ActionDeclaration) types.StageDeclaration {
	return types.StageDeclaration{Name: aws.String(name), Actions: actions}
}

// cmdAction is a Commands action on the source artifact.
func cmdAction(name string, cmds ...string) types.ActionDeclaration {
	return types.ActionDeclaration{Name: aws.String(name),
		ActionTypeId:   &types.ActionTypeId{Category: types.ActionCategoryCompute, Owner: types.ActionOwnerAws, Provider: aws.String("Commands"), Version: aws.String("1")},
		InputArtifacts: []types.InputArtifact{{Name: aws.String("Code")}}, Commands: cmds}
}

func approval(name string) types.ActionDeclaration {
	return types.ActionDeclaration{Name: aws.String(name),
		ActionTypeId: &types.ActionTypeId{Category: types.ActionCategoryApproval, Owner: types.ActionOwnerAws, Provider: aws.String("Manual"), Version: aws.String("1")}}
}

// gate is a file a test creates to let an action go on; its path is unique to the test.
type gate string

// newGate returns a closed gate; it opens when the test ends, so no action outlives a failed
// test waiting on it.
func newGate(t *testing.T) gate {
	g := gate(filepath.Join(t.TempDir(), "gate"))
	t.Cleanup(func() { _ = os.WriteFile(string(g), nil, 0o644) })
	return g
}

// wait is a command that blocks until the gate is open.
func (g gate) wait() string { return "while [ ! -e '" + string(g) + "' ]; do sleep 0.05; done" }

// check is a command that fails while the gate is closed.
func (g gate) check() string { return "test -e '" + string(g) + "'" }

func (g gate) open(t *testing.T) {
	t.Helper()
	require.NoError(t, os.WriteFile(string(g), nil, 0o644))
}

// create creates p and returns the id of the execution CreatePipeline started.
func (c *conformance) create(t *testing.T, p *types.PipelineDeclaration) string {
	t.Helper()
	_, err := c.cp.CreatePipeline(c.ctx, &codepipeline.CreatePipelineInput{Pipeline: p})
	require.NoError(t, err)
	execs := c.executions(t, *p.Name)
	require.Len(t, execs, 1)
	return *execs[0].PipelineExecutionId
}

func (c *conformance) executions(t *testing.T, name string) []types.PipelineExecutionSummary {
	t.Helper()
	out, err := c.cp.ListPipelineExecutions(c.ctx, &codepipeline.ListPipelineExecutionsInput{PipelineName: aws.String(name)})
	require.NoError(t, err)
	return out.PipelineExecutionSummaries
}

func (c *conformance) execution(t *testing.T, name, id string) *types.PipelineExecution {
	t.Helper()
	out, err := c.cp.GetPipelineExecution(c.ctx, &codepipeline.GetPipelineExecutionInput{PipelineName: aws.String(name), PipelineExecutionId: aws.String(id)})
	require.NoError(t, err)
	return out.PipelineExecution
}

func (c *conformance) state(t *testing.T, name string) *codepipeline.GetPipelineStateOutput {
	t.Helper()
	out, err := c.cp.GetPipelineState(c.ctx, &codepipeline.GetPipelineStateInput{Name: aws.String(name)})
	require.NoError(t, err)
	return out
}

func stageState(t *testing.T, st *codepipeline.GetPipelineStateOutput, name string) types.StageState {
	t.Helper()
	for _, s := range st.StageStates {
		if aws.ToString(s.StageName) == name {
			return s
		}
	}
	t.Fatalf("stage %s not in GetPipelineState", name)
	return types.StageState{}
}

// actionStatus is the latest status of an action in GetPipelineState ("" before it ran).
func (c *conformance) actionStatus(t *testing.T, pipeline, stageName, action string) types.ActionExecutionStatus {
	t.Helper()
	for _, a := range stageState(t, c.state(t, pipeline), stageName).ActionStates {
		if aws.ToString(a.ActionName) == action && a.LatestExecution != nil {
			return a.LatestExecution.Status
		}
	}
	return ""
}

func (c *conformance) waitAction(t *testing.T, pipeline, stageName, action string, want types.ActionExecutionStatus) {
	t.Helper()
	c.waitFor(t, stageName+"/"+action+" "+string(want), func() bool {
		return c.actionStatus(t, pipeline, stageName, action) == want
	})
}

// actionRuns lists every action execution of one pipeline execution, following nextToken.
func (c *conformance) actionRuns(t *testing.T, pipeline, exec string) []types.ActionExecutionDetail {
	t.Helper()
	var out []types.ActionExecutionDetail
	pages := codepipeline.NewListActionExecutionsPaginator(c.cp, &codepipeline.ListActionExecutionsInput{PipelineName: aws.String(pipeline),
		Filter: &types.ActionExecutionFilter{PipelineExecutionId: aws.String(exec)}})
	for pages.HasMorePages() {
		page, err := pages.NextPage(c.ctx)
		require.NoError(t, err)
		out = append(out, page.ActionExecutionDetails...)
	}
	return out
}
