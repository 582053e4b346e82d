package service_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/engine"
	"sluice/service"
	"sluice/store/sqlite"
)

type (
	fixedClock struct{}
	countIDs   struct {
		mu sync.Mutex
		n  int
	}
)

func (fixedClock) Now() time.Time { return time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC) }

func (c *countIDs) NewID() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n++
	return fmt.Sprintf("%08x-0000-4000-8000-000000000000", c.n)
}

// repoHost records the repositories it holds.
type repoHost struct {
	mu    sync.Mutex
	repos map[string]bool
}

func (h *repoHost) Create(_ context.Context, name string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.repos[name] = true
	return nil
}

func (h *repoHost) Delete(_ context.Context, name string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.repos, name)
	return nil
}

func (h *repoHost) ResolveRef(context.Context, string, string) (string, error) {
	return "", sluice.Errorf(sluice.ENotFound, "", "no ref")
}

// failingRepos is a store whose repository writes fail.
type failingRepos struct{ sluice.Store }

func (failingRepos) CreateRepository(context.Context, *sluice.Repository) error {
	return errors.New("disk full")
}

// failingTags is a store whose transactions cannot write tags.
type (
	failingTags     struct{ sluice.Store }
	failingTagsExec struct{ sluice.Executor }
)

func (s failingTags) InTx(ctx context.Context, fn func(sluice.Executor) error) error {
	return s.Store.InTx(ctx, func(x sluice.Executor) error { return fn(failingTagsExec{x}) })
}

func (failingTagsExec) TagResource(context.Context, string, map[string]string) error {
	return errors.New("tags unavailable")
}

type bundle struct {
	svc   *service.Service
	db    *sqlite.DB
	repos *repoHost
}

func setup(t *testing.T) *bundle {
	t.Helper()
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "sluice.db"))
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	eng := &engine.Engine{Store: db, Clock: fixedClock{}, IDs: &countIDs{}, Account: "123456789012", Region: "eu-west-1"}
	repos := &repoHost{repos: map[string]bool{}}
	return &bundle{svc: &service.Service{Engine: eng, Store: db, IDs: &countIDs{}, Repos: repos}, db: db, repos: repos}
}

var caller = sluice.Caller{Principal: "arn:aws:iam::123456789012:root", SourceIP: "127.0.0.1"}

func TestCreateRepository(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		r, err := b.svc.CreateRepository(ctx, caller, "src", "")
		require.NoError(t, err)
		require.Equal(t, "arn:aws:codecommit:eu-west-1:123456789012:src", r.ARN)
		require.True(t, b.repos.repos["src"])
	})

	t.Run("ContentDeletedWhenMetadataFails", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.svc.Store = failingRepos{b.db}
		_, err := b.svc.CreateRepository(ctx, caller, "src", "")
		require.ErrorContains(t, err, "disk full")
		require.Empty(t, b.repos.repos, "the repository's content outlived its failed creation")
	})

	t.Run("ErrNotHosted", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.svc.Repos = nil
		_, err := b.svc.CreateRepository(ctx, caller, "", "")
		require.ErrorContains(t, err, "does not host repositories")
	})
}

func TestCreateConnection(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("PublicProvider", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		c, err := b.svc.CreateConnection(ctx, caller, service.ConnectionParams{Name: "gh", ProviderType: sluice.ProviderGitHub,
			Tags: []sluice.Tag{{Key: "team", Value: "a"}}})
		require.NoError(t, err)
		require.Equal(t, "https://github.com", c.Endpoint)
		require.Equal(t, "arn:aws:codestar-connections:eu-west-1:123456789012:connection/00000001-0000-4000-8000-000000000000", c.ARN)
		tags, err := b.db.ListTags(ctx, c.ARN)
		require.NoError(t, err)
		require.Equal(t, map[string]string{"team": "a"}, tags)
	})

	t.Run("HostGivesEndpointAndType", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		h, err := b.svc.CreateHost(ctx, caller, service.HostParams{Name: "lab", ProviderType: sluice.ProviderGitLabSelf,
			Endpoint: "https://git.example.com"})
		require.NoError(t, err)
		require.Equal(t, "arn:aws:codestar-connections:eu-west-1:123456789012:host/lab-00000001", h.ARN)
		c, err := b.svc.CreateConnection(ctx, caller, service.ConnectionParams{Name: "lab", HostARN: h.ARN})
		require.NoError(t, err)
		require.Equal(t, sluice.ProviderGitLabSelf, c.ProviderType)
		require.Equal(t, "https://git.example.com", c.Endpoint)

		_, err = b.svc.CreateConnection(ctx, caller, service.ConnectionParams{Name: "x", HostARN: h.ARN, ProviderType: sluice.ProviderGitHubEnterprise})
		require.True(t, sluice.IsCode(err, sluice.EInvalid), "%v", err)
	})

	t.Run("NoConnectionWithoutItsTags", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.svc.Store = failingTags{b.db}
		_, err := b.svc.CreateConnection(ctx, caller, service.ConnectionParams{Name: "gh", ProviderType: sluice.ProviderGitHub,
			Tags: []sluice.Tag{{Key: "team", Value: "a"}}})
		require.ErrorContains(t, err, "tags unavailable")
		conns, err := b.db.ListConnections(ctx)
		require.NoError(t, err)
		require.Empty(t, conns, "the connection was stored without its tags")
	})

	t.Run("ErrSelfManagedNeedsHost", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		_, err := b.svc.CreateConnection(ctx, caller, service.ConnectionParams{Name: "lab", ProviderType: sluice.ProviderGitLabSelf})
		require.True(t, sluice.IsCode(err, sluice.EInvalid), "%v", err)
		conns, err := b.db.ListConnections(ctx)
		require.NoError(t, err)
		require.Empty(t, conns)
	})
}

func TestTagResource(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("ErrOtherAccount", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		err := b.svc.TagResource(ctx, caller, "arn:aws:codepipeline:eu-west-1:999999999999:app", []sluice.Tag{{Key: "k", Value: "v"}})
		require.True(t, sluice.IsCode(err, sluice.EInvalid), "%v", err)
	})

	t.Run("ErrSystemTag", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		err := b.svc.TagResource(ctx, caller, "arn:aws:codepipeline:eu-west-1:123456789012:app", []sluice.Tag{{Key: "aws:x", Value: "v"}})
		require.True(t, sluice.IsCode(err, sluice.EInvalid), "%v", err)
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		err := b.svc.TagResource(ctx, caller, "arn:aws:codepipeline:eu-west-1:123456789012:app", []sluice.Tag{{Key: "k", Value: "v"}})
		require.True(t, sluice.IsCode(err, sluice.ENotFound), "%v", err)
	})
}

func TestProjectByNameOrARN(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setup(t)
	p, err := b.svc.CreateProject(ctx, caller, &sluice.BuildProject{Name: "build", Document: []byte(`{"name":"build"}`)})
	require.NoError(t, err)
	require.Equal(t, "arn:aws:codebuild:eu-west-1:123456789012:project/build", p.ARN)
	found, missing, err := b.svc.BatchGetProjects(ctx, caller, []string{"build", p.ARN})
	require.NoError(t, err)
	require.Empty(t, missing)
	require.Len(t, found, 2)
	for _, got := range found {
		require.Equal(t, "build", got.Name)
	}
	others := []string{"arn:aws:codebuild:eu-west-1:999999999999:project/build", "arn:aws:codebuild:eu-west-1:123456789012:build/build:1",
		"arn:aws:codepipeline:eu-west-1:123456789012:build"}
	found, missing, err = b.svc.BatchGetProjects(ctx, caller, others)
	require.NoError(t, err)
	require.Empty(t, found)
	require.Equal(t, others, missing)
}

func TestPutWebhook(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	params := func() service.WebhookParams {
		return service.WebhookParams{Name: "push", TargetPipeline: "app", TargetAction: "Src",
			Filters: []sluice.WebhookFilter{{JSONPath: "$.ref", MatchEquals: "refs/heads/main"}}, Authentication: sluice.WebhookUnauthenticated}
	}

	t.Run("ErrAuthenticationSettings", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		p := params()
		p.Authentication, p.AllowedIPRange = sluice.WebhookIP, "not-a-cidr"
		_, _, err := b.svc.PutWebhook(ctx, caller, p)
		require.True(t, sluice.IsCode(err, sluice.EInvalid), "%v", err)
		require.ErrorContains(t, err, "CIDR")
	})

	t.Run("ErrTargetPipelineMissing", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		_, _, err := b.svc.PutWebhook(ctx, caller, params())
		require.True(t, sluice.IsCode(err, sluice.ENotFound), "%v", err)
		ws, _, err := b.db.ListWebhooks(ctx, sluice.Page{})
		require.NoError(t, err)
		require.Empty(t, ws)
	})
}

func TestPutJobResultBoundsOutputVariables(t *testing.T) {
	t.Parallel()
	b := setup(t)
	err := b.svc.PutJobResult(context.Background(), caller, sluice.JobResult{JobID: "j", Success: true,
		OutputVariables: map[string]string{"k": string(make([]byte, 122881))}})
	require.True(t, sluice.IsCode(err, sluice.ELimit), "%v", err)
	err = b.svc.PutJobResult(context.Background(), caller, sluice.JobResult{JobID: "j", Success: true,
		OutputVariables: map[string]string{"k": "v"}, ContinuationToken: "more"})
	require.True(t, sluice.IsCode(err, sluice.EInvalid), "%v", err)
}

// TestCreateCustomActionTypeWithTags checks that a custom action type and its tags commit
// together: a tag write that fails leaves no type behind.
func TestCreateCustomActionTypeWithTags(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	typ := sluice.ActionType{ID: sluice.ActionTypeID{Category: "Build", Owner: sluice.OwnerCustom, Provider: "Mine", Version: "1"}}
	tags := []sluice.Tag{{Key: "team", Value: "a"}}

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		_, got, err := b.svc.CreateCustomActionType(ctx, caller, typ, tags)
		require.NoError(t, err)
		require.Equal(t, map[string]string{"team": "a"}, got)
	})

	t.Run("NoTypeWithoutItsTags", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.svc.Store = failingTags{b.db}
		_, _, err := b.svc.CreateCustomActionType(ctx, caller, typ, tags)
		require.ErrorContains(t, err, "tags unavailable")
		types, err := b.db.ListActionTypes(ctx)
		require.NoError(t, err)
		require.Empty(t, types, "the action type was stored without its tags")
	})
}
