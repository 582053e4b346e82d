package nodetest

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codecommit"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/stretchr/testify/require"
)

// SrcRepo is the repository every pipeline of a conformance fixture reads. It gets one
// commit before any pipeline exists, so no push ever starts an execution in these tests.
const SrcRepo = "src"

// SeedRepo creates the hosted repository name with one commit on main: a README that says
// "conformance".
func (b *Bundle) SeedRepo(t *testing.T, name string) {
	t.Helper()
	repo, err := b.CC.CreateRepository(context.Background(), &codecommit.CreateRepositoryInput{RepositoryName: aws.String(name)})
	require.NoError(t, err)
	env, work := GitEnv(t), t.TempDir()
	Git(t, env, work, "clone", "-q", AuthURL(*repo.RepositoryMetadata.CloneUrlHttp), name)
	dir := filepath.Join(work, name)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "README"), []byte("conformance\n"), 0o644))
	Git(t, env, dir, "add", "README")
	Git(t, env, dir, "commit", "-q", "-m", "First commit")
	Git(t, env, dir, "push", "-q", "origin", "HEAD:main")
	// The push is announced asynchronously: let it be handled now, while no pipeline exists,
	// rather than after a test's CreatePipeline, where it would start a second execution.
	b.Node.Repos.Wait()
}

// Pipeline declares a V2 pipeline: a CodeCommit source stage "Source" (output artifact
// "Code") followed by stages.
func Pipeline(name string, stages ...types.StageDeclaration) *types.PipelineDeclaration {
	source := types.StageDeclaration{Name: aws.String("Source"), Actions: []types.ActionDeclaration{{
		Name:            aws.String("Source"),
		ActionTypeId:    &types.ActionTypeId{Category: types.ActionCategorySource, Owner: types.ActionOwnerAws, Provider: aws.String("CodeCommit"), Version: aws.String("1")},
		Configuration:   map[string]string{"RepositoryName": SrcRepo, "BranchName": "main", "PollForSourceChanges": "false"},
		OutputArtifacts: []types.OutputArtifact{{Name: aws.String("Code")}},
	}}}
	return &types.PipelineDeclaration{Name: aws.String(name), RoleArn: aws.String("arn:aws:iam::000000000000:role/sluice-pipeline"),
		ArtifactStore: &types.ArtifactStore{Type: types.ArtifactStoreTypeS3, Location: aws.String("sluice-artifacts")},
		PipelineType:  types.PipelineTypeV2, Stages: append([]types.StageDeclaration{source}, stages...)}
}

// Stage declares a stage of actions.
func Stage(name string, actions ...types.ActionDeclaration) types.StageDeclaration {
	return types.StageDeclaration{Name: aws.String(name), Actions: actions}
}

// CmdAction is a Commands action on the source artifact.
func CmdAction(name string, cmds ...string) types.ActionDeclaration {
	return types.ActionDeclaration{Name: aws.String(name),
		ActionTypeId:   &types.ActionTypeId{Category: types.ActionCategoryCompute, Owner: types.ActionOwnerAws, Provider: aws.String("Commands"), Version: aws.String("1")},
		InputArtifacts: []types.InputArtifact{{Name: aws.String("Code")}}, Commands: cmds}
}

// Approval is a manual approval action.
func Approval(name string) types.ActionDeclaration {
	return types.ActionDeclaration{Name: aws.String(name),
		ActionTypeId: &types.ActionTypeId{Category: types.ActionCategoryApproval, Owner: types.ActionOwnerAws, Provider: aws.String("Manual"), Version: aws.String("1")}}
}

// Gate lets an action go on when the test says so. Actions run sandboxed and see none of
// the test's files, but the network is theirs: the gate is an HTTP endpoint on loopback
// that answers "closed" until the test opens it, polled with curl.
type Gate struct {
	url    string
	opened *atomic.Bool
}

// NewGate returns a closed Gate; it opens when the test ends (and a gate that no longer
// answers counts as open), so no action outlives a failed test waiting on it.
func NewGate(t *testing.T) Gate {
	g := Gate{opened: new(atomic.Bool)}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if g.opened.Load() {
			_, _ = io.WriteString(w, "open")
			return
		}
		_, _ = io.WriteString(w, "closed")
	}))
	g.url = srv.URL
	t.Cleanup(func() { g.opened.Store(true); srv.Close() })
	return g
}

// Wait is a command that blocks until the Gate is open.
func (g Gate) Wait() string {
	return "while [ \"$(curl -s '" + g.url + "')\" = closed ]; do sleep 0.05; done"
}

// Check is a command that fails while the Gate is closed.
func (g Gate) Check() string { return "test \"$(curl -s '" + g.url + "')\" != closed" }

func (g Gate) Open(t *testing.T) {
	t.Helper()
	g.opened.Store(true)
}

// Create creates p and returns the id of the execution CreatePipeline started.
func (b *Bundle) Create(t *testing.T, p *types.PipelineDeclaration) string {
	t.Helper()
	_, err := b.CP.CreatePipeline(context.Background(), &codepipeline.CreatePipelineInput{Pipeline: p})
	require.NoError(t, err)
	execs := b.Executions(t, *p.Name)
	require.Len(t, execs, 1)
	return *execs[0].PipelineExecutionId
}

func (b *Bundle) Executions(t *testing.T, name string) []types.PipelineExecutionSummary {
	t.Helper()
	out, err := b.CP.ListPipelineExecutions(context.Background(), &codepipeline.ListPipelineExecutionsInput{PipelineName: aws.String(name)})
	require.NoError(t, err)
	return out.PipelineExecutionSummaries
}

func (b *Bundle) Execution(t *testing.T, name, id string) *types.PipelineExecution {
	t.Helper()
	out, err := b.CP.GetPipelineExecution(context.Background(), &codepipeline.GetPipelineExecutionInput{PipelineName: aws.String(name), PipelineExecutionId: aws.String(id)})
	require.NoError(t, err)
	return out.PipelineExecution
}

func (b *Bundle) State(t *testing.T, name string) *codepipeline.GetPipelineStateOutput {
	t.Helper()
	out, err := b.CP.GetPipelineState(context.Background(), &codepipeline.GetPipelineStateInput{Name: aws.String(name)})
	require.NoError(t, err)
	return out
}

func StageState(t *testing.T, st *codepipeline.GetPipelineStateOutput, name string) types.StageState {
	t.Helper()
	for _, s := range st.StageStates {
		if aws.ToString(s.StageName) == name {
			return s
		}
	}
	t.Fatalf("stage %s not in GetPipelineState", name)
	return types.StageState{}
}

// ActionStatus is the latest status of an action in GetPipelineState ("" before it ran).
func (b *Bundle) ActionStatus(t *testing.T, pipeline, stageName, action string) types.ActionExecutionStatus {
	t.Helper()
	for _, a := range StageState(t, b.State(t, pipeline), stageName).ActionStates {
		if aws.ToString(a.ActionName) == action && a.LatestExecution != nil {
			return a.LatestExecution.Status
		}
	}
	return ""
}

func (b *Bundle) WaitAction(t *testing.T, pipeline, stageName, action string, want types.ActionExecutionStatus) {
	t.Helper()
	b.WaitFor(t, stageName+"/"+action+" "+string(want), func() bool {
		return b.ActionStatus(t, pipeline, stageName, action) == want
	})
}

// ActionRuns lists every action execution of one pipeline execution, following nextToken.
func (b *Bundle) ActionRuns(t *testing.T, pipeline, exec string) []types.ActionExecutionDetail {
	t.Helper()
	var out []types.ActionExecutionDetail
	pages := codepipeline.NewListActionExecutionsPaginator(b.CP, &codepipeline.ListActionExecutionsInput{PipelineName: aws.String(pipeline),
		Filter: &types.ActionExecutionFilter{PipelineExecutionId: aws.String(exec)}})
	for pages.HasMorePages() {
		page, err := pages.NextPage(context.Background())
		require.NoError(t, err)
		out = append(out, page.ActionExecutionDetails...)
	}
	return out
}

// URL is the gate's address, for an action's own polling: curl prints "closed" until it opens.
func (g Gate) URL() string { return g.url }

// Signal is how a sandboxed action tells the test it got somewhere: a command calls an
// HTTP endpoint on loopback, which the test waits on.
type Signal struct {
	url string
	ch  chan struct{}
}

// NewSignal returns a Signal no action has sent yet.
func NewSignal(t *testing.T) Signal {
	s := Signal{ch: make(chan struct{}, 1)}
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		select {
		case s.ch <- struct{}{}:
		default:
		}
	}))
	s.url = srv.URL
	t.Cleanup(srv.Close)
	return s
}

// Send is a command that sends the signal.
func (s Signal) Send() string { return "curl -s '" + s.url + "' >/dev/null" }

// Wait waits for the signal, failing after a bound only a hang reaches.
func (s Signal) Wait(t *testing.T) {
	t.Helper()
	select {
	case <-s.ch:
	case <-time.After(2 * time.Minute):
		t.Fatal("the action never sent its signal")
	}
}

// WorkDir is a work directory for a `sluice worker` the sandbox's user can pass through
// (t.TempDir's parent is private), removed when the test ends.
func WorkDir(t *testing.T) string {
	dir, err := os.MkdirTemp("", "sluice-test-work-")
	require.NoError(t, err)
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	return dir
}
