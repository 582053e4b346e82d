package faults

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/codecommit"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/stretchr/testify/require"

	"sluice/node/nodetest"
)

// variant is one shape of the system under faults.
type variant struct {
	replicas int  // `sluice server` processes on one data directory
	postgres bool // on the harness's own PostgreSQL; SQLite in the data directory otherwise
}

// harness is the running system: servers, the remote worker, the proxy in front of the
// servers, a client of the API, the journal, and the problems found so far.
type harness struct {
	t       *testing.T
	dir     string
	servers []*server
	worker  *server   // the remote `sluice worker`, through the proxy in front of the servers
	pg      *postgres // nil on SQLite
	api     *client
	journal *journal
	decls   map[string]*types.PipelineDeclaration
	*problems
}

// problems collects what the checks (and the processes' watchers) found wrong; each names
// the execution, action or process it is about.
type problems struct {
	mu   sync.Mutex
	list []string
}

func (p *problems) Add(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.list = append(p.list, fmt.Sprintf(format, args...))
}

func (p *problems) All() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.list...)
}

// setup starts the variant's system and creates the workload's pipelines, whose first
// executions (started by CreatePipeline) the driver then tracks like its own.
func setup(t *testing.T, v variant) *harness {
	t.Helper()
	bin := nodetest.SluiceBinary(t)
	dir, err := os.MkdirTemp("", "sluice-faults-")
	require.NoError(t, err)
	// Not t.TempDir: actions orphaned by a kill may still write in it as the test ends.
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	h := &harness{t: t, dir: dir, problems: &problems{}, decls: map[string]*types.PipelineDeclaration{}}
	h.journal = openJournal(t, filepath.Join(dir, "journal"))
	args := []string{"--data-dir", filepath.Join(dir, "data"), "--workers", "2", "--sandbox", "off", "--poll-interval", "0",
		"--action-env", "FAULTS_JOURNAL=" + h.journal.path}
	if v.postgres {
		h.pg = startPostgres(t)
		args = append(args, "--database", h.pg.URL, "--database-max-conns", "4")
	}
	var urls, addrs []string
	for i := 1; i <= v.replicas; i++ {
		s := &server{Name: fmt.Sprintf("r%d", i), Addr: nodetest.FreeAddr(t), bin: bin, dir: dir,
			args: append(append([]string{}, args...), "--work-dir", filepath.Join(dir, fmt.Sprintf("work-r%d", i))), unexpected: func(m string) { h.Add("%s", m) }}
		// One at a time: the first makes the data directory, its keys and the tables.
		require.NoError(t, s.Start(context.Background()), "start %s; log %s:\n%s", s.Name, s.LogPath(), tail(s.LogPath()))
		t.Cleanup(s.Close)
		h.servers = append(h.servers, s)
		urls, addrs = append(urls, "http://"+s.Addr), append(addrs, s.Addr)
	}
	h.api = newClient(urls)
	h.worker = &server{Name: "w", bin: bin, dir: dir, unexpected: func(m string) { h.Add("%s", m) },
		args: []string{"--endpoint-url", "http://" + startProxy(t, addrs).Addr, "--labels", workerLabel, "--capacity", "2",
			"--sandbox", "off", "--name", "faults-worker", "--work-dir", filepath.Join(dir, "work-worker"),
			"--action-env", "FAULTS_JOURNAL=" + h.journal.path}}
	require.NoError(t, h.worker.Start(context.Background()))
	t.Cleanup(h.worker.Close)
	h.seedRepo(t, urls[0])
	for _, p := range pipelines() {
		_, err := h.servers[0].client().CreatePipeline(context.Background(), &codepipeline.CreatePipelineInput{Pipeline: p})
		require.NoError(t, err)
		h.decls[*p.Name] = p
	}
	return h
}

func (s *server) client() *codepipeline.Client { return sdkClient("http://" + s.Addr) }

// processes are the servers, then the worker: what a fault's index names.
func (h *harness) processes() []*server { return append(append([]*server{}, h.servers...), h.worker) }

// seedRepo creates the hosted repository every pipeline reads, with one commit on main.
// The push is acted on before git returns, while no pipeline exists: it starts nothing.
func (h *harness) seedRepo(t *testing.T, url string) {
	t.Helper()
	cfg := aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider(nodetest.KeyID, nodetest.Secret, "")}
	cc := codecommit.NewFromConfig(cfg, func(o *codecommit.Options) { o.BaseEndpoint = aws.String(url) })
	repo, err := cc.CreateRepository(context.Background(), &codecommit.CreateRepositoryInput{RepositoryName: aws.String(nodetest.SrcRepo)})
	require.NoError(t, err)
	env, work := nodetest.GitEnv(t), t.TempDir()
	nodetest.Git(t, env, work, "clone", "-q", nodetest.AuthURL(*repo.RepositoryMetadata.CloneUrlHttp), "src")
	src := filepath.Join(work, "src")
	require.NoError(t, os.WriteFile(filepath.Join(src, "README"), []byte("faults\n"), 0o644))
	nodetest.Git(t, env, src, "add", "README")
	nodetest.Git(t, env, src, "commit", "-q", "-m", "First commit")
	nodetest.Git(t, env, src, "push", "-q", "origin", "HEAD:main")
}

// tail is the end of a log file, for a failure's report.
func tail(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-30):], "\n")
}

// warnings is the end of a log's warnings and errors (its lines with level WARN or ERROR).
func warnings(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	var lines []string
	for _, l := range strings.Split(string(b), "\n") {
		if strings.Contains(l, "level=WARN") || strings.Contains(l, "level=ERROR") ||
			strings.Contains(l, `"level":"WARN"`) || strings.Contains(l, `"level":"ERROR"`) || strings.HasPrefix(l, "=== faults") {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines[max(0, len(lines)-25):], "\n")
}
