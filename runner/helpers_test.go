package runner_test

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/actionlog"
	"sluice/artifact/diskstore"
	"sluice/artifact/zipfile"
	"sluice/runner"
	"sluice/sandbox"
)

var fakeType = sluice.ActionTypeID{Category: "Build", Owner: "Custom", Provider: "Fake", Version: "1"}

// fakeProvider runs a test's function as the provider; Token is a secret property.
type fakeProvider struct {
	run func(ctx context.Context, rc *sluice.RunContext) (*sluice.Outcome, error)
}

func (p *fakeProvider) Types() []sluice.ActionType {
	return []sluice.ActionType{{
		ID: fakeType,
		ConfigurationProperties: []sluice.ActionConfigurationProperty{
			{Name: "Token", Secret: true}, {Name: "Plain"},
		},
	}}
}

func (p *fakeProvider) Run(ctx context.Context, rc *sluice.RunContext) (*sluice.Outcome, error) {
	return p.run(ctx, rc)
}

type fixedClock struct{ now time.Time }

func (c fixedClock) Now() time.Time { return c.now }

var testNow = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

type bundle struct {
	runner   *runner.Runner
	provider *fakeProvider
	store    *diskstore.Store
	logs     *actionlog.FileSink
	workRoot string
}

func setup(t testing.TB) *bundle {
	t.Helper()
	dir := t.TempDir()
	store, err := diskstore.New(filepath.Join(dir, "artifacts"))
	require.NoError(t, err)
	logs, err := actionlog.NewFileSink(filepath.Join(dir, "logs"), 0)
	require.NoError(t, err)
	p := &fakeProvider{run: func(context.Context, *sluice.RunContext) (*sluice.Outcome, error) {
		return &sluice.Outcome{Success: true}, nil
	}}
	providers, err := runner.ProviderMap(p)
	require.NoError(t, err)
	b := &bundle{provider: p, store: store, logs: logs, workRoot: filepath.Join(dir, "work")}
	b.runner = &runner.Runner{
		Artifacts: store, Providers: providers, WorkRoot: b.workRoot, Logs: logs,
		Clock: fixedClock{testNow}, Sandbox: sandbox.Off{},
	}
	t.Cleanup(b.runner.Wait) // before the directory goes: spares are made in the background
	return b
}

// newJob makes a job of the fake type with no artifacts.
func newJob() *sluice.Job {
	return &sluice.Job{
		ID: "job-1", ActionRunID: "run-1", ExecutionID: "exec-1", PipelineName: "pipe",
		StageName: "Build", ActionName: "Compile", ActionType: fakeType, Nonce: "nonce-1",
		CreatedAt: testNow,
		Data:      sluice.JobData{ActionTypeID: fakeType},
	}
}

// putZip stores a zip of files (name -> content) under key.
func (b *bundle) putZip(t testing.TB, key string, files map[string]string) {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		full := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(full), 0o755))
		require.NoError(t, os.WriteFile(full, []byte(body), 0o644))
	}
	var buf bytes.Buffer
	_, err := zipfile.WriteDir(&buf, dir, nil)
	require.NoError(t, err)
	_, err = b.store.Put(t.Context(), key, &buf)
	require.NoError(t, err)
}

// zipContent reads the stored zip under key as file name -> content.
func (b *bundle) zipContent(t *testing.T, key string) map[string]string {
	t.Helper()
	rc, err := b.store.Open(t.Context(), key)
	require.NoError(t, err)
	defer rc.Close()
	data, err := io.ReadAll(rc)
	require.NoError(t, err)
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	require.NoError(t, err)
	got := map[string]string{}
	for _, f := range zr.File {
		if f.FileInfo().IsDir() {
			continue
		}
		r, err := f.Open()
		require.NoError(t, err)
		body, err := io.ReadAll(r)
		require.NoError(t, err)
		got[f.Name] = string(body)
	}
	return got
}

func (b *bundle) readLog(t *testing.T, id string) string {
	t.Helper()
	name, err := b.logs.Path(id)
	require.NoError(t, err)
	data, err := os.ReadFile(name)
	require.NoError(t, err)
	return string(data)
}

// requireWorkRootEmpty checks that no workspace outlived its job, and that the spares kept
// for later jobs are empty skeletons.
func (b *bundle) requireWorkRootEmpty(t *testing.T) {
	t.Helper()
	b.runner.Wait()
	entries, err := os.ReadDir(b.workRoot)
	require.NoError(t, err)
	for _, e := range entries {
		require.True(t, strings.HasPrefix(e.Name(), ".spare-"), "left in the work root: %s", e.Name())
		spare := filepath.Join(b.workRoot, e.Name())
		require.Equal(t, []string{"home", "in", "scratch", "tmp"}, listDir(t, spare))
		for _, d := range []string{"home", "in", "scratch", "tmp"} {
			require.Empty(t, listDir(t, filepath.Join(spare, d)), "spare's %s", d)
		}
	}
}

func listDir(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	names := []string{}
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return names
}

func requireFailed(t *testing.T, res sluice.JobResult, errorType, contains string) {
	t.Helper()
	require.False(t, res.Success, "result: %+v", res)
	require.Equal(t, errorType, res.ErrorType)
	require.Contains(t, res.Summary, contains)
	require.Contains(t, res.ErrorMessage, contains)
}
