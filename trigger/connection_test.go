package trigger

import (
	"bytes"
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/catalog"
	"sluice/engine"
	"sluice/store/sqlite"
)

const connARN = "arn:aws:codestar-connections:us-east-1:000000000000:connection/c-1"

// fakeRemote answers heads from a table and counts what it is asked.
type fakeRemote struct {
	mu        sync.Mutex
	heads     map[string]string // "url branch" -> sha
	fail      error             // every Head fails with it when set
	files     []string
	headCalls int
	diffs     []Diff
	commits   int
	called    chan struct{} // when set, told of every Head call
}

func (f *fakeRemote) setHead(r Repo, branch, sha string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.heads[r.URL()+" "+branch] = sha
}

func (f *fakeRemote) Head(_ context.Context, r Repo, branch string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.headCalls++
	if f.called != nil {
		select {
		case f.called <- struct{}{}:
		default:
		}
	}
	if f.fail != nil {
		return "", f.fail
	}
	sha, ok := f.heads[r.URL()+" "+branch]
	if !ok {
		return "", sluice.Errorf(sluice.ENotFound, "Branch", "no branch %s", branch)
	}
	return sha, nil
}

func (f *fakeRemote) Commit(_ context.Context, _ Repo, sha string) (sluice.GitCommit, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.commits++
	return sluice.GitCommit{ID: sha, Message: "from the mirror"}, nil
}

func (f *fakeRemote) ChangedFiles(_ context.Context, _ Repo, d Diff) ([]string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.diffs = append(f.diffs, d)
	return f.files, nil
}

func (f *fakeRemote) counts() (heads, diffs, commits int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.headCalls, len(f.diffs), f.commits
}

// connSource is a connection source action; detect "" leaves DetectChanges out (true).
func connSource(name, repo, branch, detect string) sluice.ActionDeclaration {
	cfg := map[string]string{"ConnectionArn": connARN, "FullRepositoryId": repo, "BranchName": branch}
	if detect != "" {
		cfg["DetectChanges"] = detect
	}
	return sluice.ActionDeclaration{Name: name,
		ActionTypeID:  sluice.ActionTypeID{Category: "Source", Owner: "AWS", Provider: "CodeStarSourceConnection", Version: "1"},
		Configuration: cfg, OutputArtifacts: []sluice.OutputArtifact{{Name: name + "Out"}}}
}

// v2 is a V2 pipeline of sources, with triggers for them.
func v2(name string, triggers []sluice.GitConfiguration, sources ...sluice.ActionDeclaration) sluice.PipelineDeclaration {
	d := pipeline(name, sources...)
	d.PipelineType = "V2"
	for _, g := range triggers {
		d.Triggers = append(d.Triggers, sluice.PipelineTriggerDeclaration{ProviderType: "CodeStarSourceConnection", GitConfiguration: g})
	}
	return d
}

type connBundle struct {
	conns  *Connections
	poller *ConnectionRound
	remote *fakeRemote
	store  *sqlite.DB
	clock  *stepClock
	logs   *syncBuffer
	repo   Repo
}

// connSetup stores a GitHub connection (connARN) and the pipelines.
func connSetup(t *testing.T, decls ...sluice.PipelineDeclaration) *connBundle {
	t.Helper()
	return connSetupFor(t, sluice.ProviderGitHub, decls...)
}

func connSetupFor(t *testing.T, providerType string, decls ...sluice.PipelineDeclaration) *connBundle {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "sluice.db"))
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	logs := &syncBuffer{}
	log := slog.New(slog.NewTextHandler(logs, nil))
	eng := &engine.Engine{Store: db, Clock: fixedClock{}, IDs: &counterIDs{}, Account: "000000000000", Region: "us-east-1",
		Lookup: catalog.With(), Log: log}
	conn := &sluice.Connection{ARN: connARN, Name: "c", ProviderType: providerType, Endpoint: "https://github.com",
		Status: sluice.ConnectionAvailable, WebhookSecret: "s"}
	require.NoError(t, db.CreateConnection(ctx, conn))
	for _, d := range decls {
		_, err := eng.CreatePipeline(ctx, d, nil, "test")
		require.NoError(t, err)
	}
	remote := &fakeRemote{heads: map[string]string{}}
	conns := &Connections{Engine: eng, Store: db, Remote: remote, Log: log}
	clock := &stepClock{}
	return &connBundle{conns: conns, remote: remote, store: db, clock: clock, logs: logs, repo: Repo{Conn: conn, ID: "acme/app"},
		poller: &ConnectionRound{Connections: conns, Clock: clock, Interval: time.Minute}}
}

// started lists the executions triggers started (CreatePipeline's own are left out), newest first.
func (b *connBundle) started(t *testing.T, name string) []*sluice.Execution {
	t.Helper()
	return triggered(t, b.store, name)
}

func (b *connBundle) deliver(ev *sluice.GitEvent) Outcome {
	conn, _ := b.conns.Store.GetConnection(context.Background(), connARN)
	return b.conns.Deliver(context.Background(), conn, ev)
}

func push(branch, sha string, files ...string) *sluice.GitEvent {
	return &sluice.GitEvent{Kind: sluice.GitEventPush, Repository: "acme/app", Ref: "refs/heads/" + branch, Branch: branch,
		Before: strings.Repeat("1", 40), After: sha, HeadCommit: sluice.GitCommit{ID: sha, Message: "pushed"},
		ChangedFiles: files, FilesListed: true}
}

// syncBuffer is a log sink tests read while the code under test writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Write(p)
}

func (s *syncBuffer) count(sub string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return strings.Count(s.buf.String(), sub)
}

func TestDeliver(t *testing.T) {
	t.Parallel()
	sha := strings.Repeat("a", 40)

	t.Run("PushStartsSourcesOnItsBranchPinned", func(t *testing.T) {
		t.Parallel()
		b := connSetup(t, pipeline("on-main", connSource("Src", "acme/app", "main", "")),
			pipeline("on-dev", connSource("Src", "acme/app", "dev", "")),
			pipeline("off", connSource("Src", "acme/app", "main", "false")),
			pipeline("other-repo", connSource("Src", "acme/other", "main", "")),
			pipeline("case", connSource("Src", "Acme/App", "main", "")))
		out := b.deliver(push("main", sha))
		require.Len(t, out.Started, 1)
		got := b.started(t, "on-main")
		require.Len(t, got, 1)
		require.Equal(t, out.Started[0].ExecutionID, got[0].ID)
		require.Equal(t, sluice.Trigger{Type: sluice.TriggerWebhookV2, Detail: connARN}, got[0].Trigger)
		require.Equal(t, sluice.Revision{RevisionID: sha, ChangeIdentifier: sha, Summary: "pushed",
			URL: "https://github.com/acme/app/commit/" + sha}, got[0].Revisions["Src"])
		for _, name := range []string{"on-dev", "off", "other-repo", "case"} {
			require.Empty(t, b.started(t, name), name)
		}
		require.Contains(t, strings.Join(out.Reasons, "\n"), "off/Src: DetectChanges is false")
		_, _, commits := b.remote.counts()
		require.Zero(t, commits, "the delivery described the commit")
	})

	t.Run("TwoSourcesOfOnePipelineStartOneExecution", func(t *testing.T) {
		t.Parallel()
		b := connSetup(t, pipeline("p", connSource("A", "acme/app", "main", ""), connSource("B", "acme/app", "main", "")))
		require.Len(t, b.deliver(push("main", sha)).Started, 1)
		got := b.started(t, "p")
		require.Len(t, got, 1)
		require.Equal(t, sha, got[0].Revisions["A"].RevisionID)
		require.Equal(t, sha, got[0].Revisions["B"].RevisionID)
	})

	t.Run("DeletionsTagsPingsStartNothing", func(t *testing.T) {
		t.Parallel()
		b := connSetup(t, pipeline("p", connSource("Src", "acme/app", "main", "")))
		del := push("main", strings.Repeat("0", 40))
		del.Deleted = true
		tag := push("main", sha)
		tag.Branch, tag.Tag, tag.Ref = "", "v1", "refs/tags/v1"
		for _, ev := range []*sluice.GitEvent{del, tag, {Kind: sluice.GitEventPing}, {Kind: sluice.GitEventIgnored, Reason: "GitHub issues events start nothing"}} {
			out := b.deliver(ev)
			require.Empty(t, out.Started)
			require.NotEmpty(t, out.Reasons)
		}
		require.Empty(t, b.started(t, "p"))
	})

	t.Run("TriggerFiltersDecide", func(t *testing.T) {
		t.Parallel()
		release := sluice.GitConfiguration{SourceActionName: "Src", Push: []sluice.GitPushFilter{{
			Branches:  &sluice.GitFilterCriteria{Includes: []string{"release/**"}, Excludes: []string{"release/old*"}},
			FilePaths: &sluice.GitFilterCriteria{Includes: []string{"src/**"}}}}}
		b := connSetup(t, v2("release", []sluice.GitConfiguration{release}, connSource("Src", "acme/app", "main", "")))
		require.Empty(t, b.deliver(push("main", sha, "src/a.go")).Started, "a trigger replaces BranchName detection")
		require.Empty(t, b.deliver(push("release/old-1", sha, "src/a.go")).Started, "excludes win")
		require.Empty(t, b.deliver(push("release/2", sha, "docs/a.md")).Started, "no file matches")
		out := b.deliver(push("release/2", sha, "docs/a.md", "src/b.go"))
		require.Len(t, out.Started, 1)
		_, diffs, _ := b.remote.counts()
		require.Zero(t, diffs, "the delivery listed the files")
	})

	t.Run("MissingFilesComeFromTheMirror", func(t *testing.T) {
		t.Parallel()
		cfg := sluice.GitConfiguration{SourceActionName: "Src",
			Push: []sluice.GitPushFilter{{Branches: &sluice.GitFilterCriteria{Includes: []string{"main"}},
				FilePaths: &sluice.GitFilterCriteria{Includes: []string{"src/**"}}}},
			PullRequest: []sluice.GitPullRequestFilter{{Events: []string{"OPEN"}, Branches: &sluice.GitFilterCriteria{Includes: []string{"main"}},
				FilePaths: &sluice.GitFilterCriteria{Includes: []string{"src/**"}}}}}
		b := connSetup(t, v2("p", []sluice.GitConfiguration{cfg}, connSource("Src", "acme/app", "main", "")))
		b.remote.files = []string{"src/x.go"}
		truncated := push("main", sha, "docs/only-listed.md")
		truncated.FilesTruncated = true
		require.Len(t, b.deliver(truncated).Started, 1, "a truncated list is completed")

		head := strings.Repeat("c", 40)
		pr := &sluice.GitEvent{Kind: sluice.GitEventPullRequest, Repository: "acme/app", HeadCommit: sluice.GitCommit{ID: head},
			PullRequest: &sluice.GitPullRequest{Number: 7, Action: sluice.PullRequestOpen, SourceBranch: "feature", TargetBranch: "main", HeadCommitID: head}}
		out := b.deliver(pr)
		require.Len(t, out.Started, 1)
		got := b.started(t, "p")
		require.Equal(t, head, got[0].Revisions["Src"].RevisionID, "a pull request pins its head commit")
		require.Equal(t, "from the mirror", got[0].Revisions["Src"].Summary)
		require.Equal(t, []Diff{{From: truncated.Before, To: sha}, {From: "refs/heads/main", To: head, MergeBase: true}}, b.remote.diffs)

		created := push("main", sha)
		created.Created, created.FilesListed = true, false
		require.Empty(t, b.deliver(created).Started, "a new branch has no file list")
		require.Len(t, b.remote.diffs, 2, "and none is computed for it")
	})

	t.Run("APollStartOnTheSameCommitIsNotRepeated", func(t *testing.T) {
		t.Parallel()
		b := connSetup(t, pipeline("p", connSource("Src", "acme/app", "main", "")))
		_, reason := b.conns.start(context.Background(), "p", map[string]sluice.Revision{"Src": {RevisionID: sha}},
			sluice.Trigger{Type: sluice.TriggerPollForSourceChanges, Detail: connARN})
		require.Empty(t, reason)
		out := b.deliver(push("main", sha))
		require.Empty(t, out.Started)
		require.Contains(t, out.Reasons[0], "polling already started execution")
		require.Len(t, b.deliver(push("main", strings.Repeat("d", 40))).Started, 1, "a newer commit starts")
	})
}

// TestDeliverSeesEveryChange: a Bitbucket delivery carries several ref changes; one that
// starts nothing, first, must not hide a push behind it.
func TestDeliverSeesEveryChange(t *testing.T) {
	t.Parallel()
	b := connSetup(t, pipeline("p", connSource("Src", "acme/app", "main", "")))
	sha := strings.Repeat("c", 40)
	ev := &sluice.GitEvent{Kind: sluice.GitEventIgnored, Reason: "a change of another kind", Repository: "acme/app",
		More: []sluice.GitEvent{*push("main", sha)}}
	out := b.deliver(ev)
	require.Len(t, out.Started, 1, "%v", out.Reasons)
	require.Equal(t, sha, b.started(t, "p")[0].Revisions["Src"].RevisionID)
}
