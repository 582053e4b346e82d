package node_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/codecommit"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/stretchr/testify/require"

	"sluice/config"
	"sluice/node"
)

// These tests run the server against versitygw, a real S3 server, started as a separate
// process: its in-process form changes the process's working directory, which the other
// tests of this package rely on.
const (
	gwAccessKey = "sluice-gw-access"
	gwSecretKey = "sluice-gw-secret-key-000000"
	gwRegion    = "us-east-1"
)

// versitygwBuild is the gateway binary, built at most once per test binary from the
// version go.mod pins (a tool directive).
var versitygwBuild struct {
	once sync.Once
	dir  string
	bin  string
	took time.Duration
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if versitygwBuild.dir != "" {
		os.RemoveAll(versitygwBuild.dir)
	}
	os.Exit(code)
}

// versitygwBinary builds the gateway on first use; a failed build fails the test with the
// compiler's output rather than skipping it.
func versitygwBinary(t *testing.T) string {
	t.Helper()
	b := &versitygwBuild
	b.once.Do(func() {
		if b.dir, b.err = os.MkdirTemp("", "sluice-versitygw-"); b.err != nil {
			return
		}
		bin := filepath.Join(b.dir, "versitygw")
		start := time.Now()
		out, err := exec.Command("go", "build", "-o", bin, "github.com/versity/versitygw/cmd/versitygw").CombinedOutput()
		b.took = time.Since(start)
		if err != nil {
			b.err = fmt.Errorf("go build versitygw: %w\n%s", err, out)
			return
		}
		b.bin = bin
	})
	require.NoError(t, b.err)
	t.Logf("versitygw built in %s", b.took.Round(time.Millisecond))
	return b.bin
}

// gateway is a running versitygw serving a temporary directory through its posix backend.
type gateway struct {
	endpoint string
	s3       *s3.Client
}

// startGateway runs versitygw on a free loopback port until the test ends. A port found
// free can be taken before the gateway binds it, so a gateway that exits is retried on
// another port.
func startGateway(t *testing.T) *gateway {
	t.Helper()
	bin, dir := versitygwBinary(t), t.TempDir()
	var errs []error
	for attempt := range 3 {
		endpoint, err := runGateway(t, bin, filepath.Join(dir, strconv.Itoa(attempt)))
		if err == nil {
			return &gateway{endpoint: endpoint, s3: s3Client(endpoint)}
		}
		errs = append(errs, err)
	}
	require.NoError(t, errors.Join(errs...), "versitygw did not start")
	return nil
}

// runGateway keeps object metadata in a sidecar directory rather than in extended
// attributes, which some temporary filesystems lack, and old object versions in a
// directory of their own, so buckets can be versioned.
func runGateway(t *testing.T, bin, dir string) (string, error) {
	root, sidecar, versions := filepath.Join(dir, "data"), filepath.Join(dir, "meta"), filepath.Join(dir, "versions")
	for _, d := range []string{root, sidecar, versions} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return "", err
		}
	}
	addr := freeAddr(t)
	cmd := exec.Command(bin, "--port", addr, "--access", gwAccessKey, "--secret", gwSecretKey,
		"--region", gwRegion, "--quiet", "posix", "--sidecar", sidecar, "--versioning-dir", versions, root)
	// No VGW_* or ROOT_* settings from the caller's environment.
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir}
	var out bytes.Buffer // read only after the process exited
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		return "", err
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	stop := func() { _ = cmd.Process.Kill(); <-exited }
	if err := waitListening(addr, exited); err != nil {
		stop()
		return "", fmt.Errorf("%w; its output:\n%s", err, out.String())
	}
	t.Cleanup(stop)
	return "http://" + addr, nil
}

// waitListening dials addr until it answers: an external process gives no other sign of
// being ready. The bound only a broken gateway reaches.
func waitListening(addr string, exited <-chan struct{}) error {
	deadline := time.Now().Add(time.Minute)
	for {
		conn, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			return conn.Close()
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("versitygw did not listen on %s within a minute", addr)
		}
		select {
		case <-exited:
			return fmt.Errorf("versitygw exited before listening on %s", addr)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

func s3Client(endpoint string) *s3.Client {
	cfg := aws.Config{Region: gwRegion, Credentials: credentials.NewStaticCredentialsProvider(gwAccessKey, gwSecretKey, "")}
	return s3.NewFromConfig(cfg, func(o *s3.Options) {
		o.BaseEndpoint, o.UsePathStyle = aws.String(endpoint), true
	})
}

// useGateway points a server's artifact store at bucket/prefix on gw.
func useGateway(gw *gateway, store string) func(*config.Server) {
	return func(c *config.Server) {
		c.ArtifactStore, c.S3Endpoint, c.S3Region = store, gw.endpoint, gwRegion
		c.S3AccessKeyID, c.S3SecretAccessKey = gwAccessKey, gwSecretKey
	}
}

func (gw *gateway) keys(t *testing.T, bucket string) []string {
	t.Helper()
	var keys []string
	pages := s3.NewListObjectsV2Paginator(gw.s3, &s3.ListObjectsV2Input{Bucket: aws.String(bucket)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(context.Background())
		require.NoError(t, err)
		for _, o := range page.Contents {
			keys = append(keys, aws.ToString(o.Key))
		}
	}
	return keys
}

// runApp runs examples/app-pipeline.json from a push through its approval to Succeeded.
func runApp(t *testing.T, b *bundle) {
	t.Helper()
	ctx := context.Background()
	_, err := b.CC.CreateRepository(ctx, &codecommit.CreateRepositoryInput{RepositoryName: aws.String("app")})
	require.NoError(t, err)
	_, err = b.CP.CreatePipeline(ctx, &codepipeline.CreatePipelineInput{Pipeline: appPipeline(t)})
	require.NoError(t, err)
	id := b.ExecutionFor(t, "app", pushApp(t, b, "hello"))
	token := b.ApprovalToken(t, "app", "Approval", "Approve")
	_, err = b.CP.PutApprovalResult(ctx, &codepipeline.PutApprovalResultInput{PipelineName: aws.String("app"),
		StageName: aws.String("Approval"), ActionName: aws.String("Approve"), Token: aws.String(token),
		Result: &types.ApprovalResult{Status: types.ApprovalStatusApproved, Summary: aws.String("ship it")}})
	require.NoError(t, err)
	b.WaitStatus(t, "app", id, types.PipelineExecutionStatusSucceeded)
}

func TestS3ArtifactStore(t *testing.T) {
	t.Parallel()
	gw := startGateway(t)
	for _, bucket := range []string{"sluice-e2e", "sluice-root"} {
		_, err := gw.s3.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String(bucket)})
		require.NoError(t, err)
	}

	t.Run("PushRunsPipelineToSucceeded", func(t *testing.T) {
		t.Parallel()
		b := setupWith(t, useGateway(gw, "s3://sluice-e2e/team/sluice"))
		runApp(t, b)
		keys := gw.keys(t, "sluice-e2e")
		for _, k := range keys {
			require.True(t, strings.HasPrefix(k, "team/sluice/app/"), "key %q outside the prefix", k)
		}
		for _, artifact := range []string{"Code", "Compiled", "Package"} {
			require.True(t, hasKeyPrefix(keys, "team/sluice/app/"+artifact+"/"), "no %s artifact in %v", artifact, keys)
		}
		_, err := os.Stat(filepath.Join(b.Node.Config.DataDir, "artifacts"))
		require.ErrorIs(t, err, os.ErrNotExist, "artifacts went to the data directory too")

		acts, err := b.CP.ListActionExecutions(context.Background(), &codepipeline.ListActionExecutionsInput{PipelineName: aws.String("app")})
		require.NoError(t, err)
		shown := 0
		for _, a := range acts.ActionExecutionDetails {
			for _, o := range a.Output.OutputArtifacts {
				require.Equal(t, "sluice-e2e", aws.ToString(o.S3location.Bucket))
				require.Contains(t, keys, aws.ToString(o.S3location.Key), "ListActionExecutions shows where the artifact is")
				shown++
			}
		}
		require.NotZero(t, shown)
	})

	t.Run("NoPrefix", func(t *testing.T) {
		t.Parallel()
		setupWith(t, useGateway(gw, "s3://sluice-root"))
		require.Empty(t, gw.keys(t, "sluice-root"), "the start-up check left its object behind")
	})

	t.Run("ErrNoSuchBucket", func(t *testing.T) {
		t.Parallel()
		err := runMain(t, useGateway(gw, "s3://sluice-missing/p"))
		require.ErrorContains(t, err, `bucket "sluice-missing" at `+gw.endpoint)
		require.ErrorContains(t, err, "--s3-endpoint")
	})
}

func hasKeyPrefix(keys []string, prefix string) bool {
	for _, k := range keys {
		if strings.HasPrefix(k, prefix) {
			return true
		}
	}
	return false
}

// runMain starts a server with the edited test configuration, expecting it to fail.
func runMain(t *testing.T, edit func(*config.Server)) error {
	t.Helper()
	cfg := config.Defaults()
	cfg.Listen, cfg.DataDir, cfg.Workers = "127.0.0.1:0", t.TempDir(), 1
	edit(&cfg)
	n, err := node.New(context.Background(), cfg, node.Options{Log: slog.New(slog.NewTextHandler(testWriter{T: t}, nil))})
	if err == nil {
		require.NoError(t, n.Close())
	}
	require.Error(t, err)
	return err
}

func TestS3SettingsRefused(t *testing.T) {
	t.Parallel()
	closed := "http://" + freeAddr(t) // nothing listens there
	cases := []struct {
		name string
		edit func(*config.Server)
		want []string
	}{
		{"ErrStoreScheme", func(c *config.Server) { c.ArtifactStore = "ftp://x" }, []string{`--artifact-store "ftp://x"`}},
		{"ErrStoreNoBucket", func(c *config.Server) { c.ArtifactStore = "s3:///p" }, []string{"--artifact-store", "bucket"}},
		{"ErrStoreCredentials", func(c *config.Server) { c.ArtifactStore = "s3://id:secret@b/p" }, []string{"--artifact-store"}},
		{"ErrEndpointNotURL", func(c *config.Server) { c.ArtifactStore, c.S3Endpoint = "s3://b", "127.0.0.1:9000" }, []string{"--s3-endpoint"}},
		{"ErrRegion", func(c *config.Server) { c.ArtifactStore, c.S3Region = "s3://b", "us east" }, []string{"--s3-region"}},
		{"ErrUnreachable", func(c *config.Server) {
			c.ArtifactStore, c.S3Endpoint = "s3://sluice-nowhere/p", closed
			c.S3AccessKeyID, c.S3SecretAccessKey = gwAccessKey, gwSecretKey
		}, []string{`bucket "sluice-nowhere" at ` + closed, "--s3-endpoint", "--artifact-store"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			err := runMain(t, c.edit)
			for _, want := range c.want {
				require.ErrorContains(t, err, want)
			}
		})
	}
}
