// Package s3test runs versitygw, a real S3 server, inside a test process: it serves a
// temporary directory through its posix backend, so S3 code is tested with no mock and
// nothing for CI to start. embedgw runs one gateway per process, so a test binary starts
// one in TestMain (Run) and its tests share it, each on buckets or prefixes of its own.
package s3test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/stretchr/testify/require"
	"github.com/versity/versitygw/backend/meta"
	"github.com/versity/versitygw/backend/posix"
	"github.com/versity/versitygw/embedgw"
	"github.com/versity/versitygw/s3api"
)

// The gateway's root user and region.
const (
	AccessKey = "sluice-test-access"
	SecretKey = "sluice-test-secret-key"
	Region    = "us-east-1"
	// SkipEnv set to 1 skips the tests that need the gateway, on machines that cannot run it.
	SkipEnv = "SLUICE_SKIP_S3"
)

// Gateway is the server a test binary shares.
type Gateway struct {
	Endpoint string
	err      error // why it did not start; tests fail with it
}

// Run starts the gateway, creates buckets, runs the tests and stops the gateway; TestMain
// passes its result to os.Exit. A gateway that does not start fails each test that asks
// for it (see Require), not the binary.
func Run(m *testing.M, gw *Gateway, buckets ...string) int {
	if os.Getenv(SkipEnv) == "1" {
		return m.Run()
	}
	dir, err := os.MkdirTemp("", "sluice-s3test-")
	if err != nil {
		gw.err = err
		return m.Run()
	}
	defer os.RemoveAll(dir)
	ctx, cancel := context.WithCancel(context.Background())
	stopped, err := gw.start(ctx, dir)
	for _, b := range buckets {
		if err == nil {
			_, err = gw.client().CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(b)})
		}
	}
	gw.err = err
	code := m.Run()
	cancel()
	if stopped != nil {
		<-stopped
	}
	return code
}

// Require skips the test when SkipEnv is 1, fails it when the gateway did not start, and
// returns a client of the gateway's root user, to set up and check what the code under test
// does.
func (gw *Gateway) Require(t testing.TB) *s3.Client {
	t.Helper()
	if os.Getenv(SkipEnv) == "1" {
		t.Skipf("%s=1: the S3 tests do not run on this machine", SkipEnv)
	}
	require.NoError(t, gw.err, "the in-process S3 server (versitygw) did not start; "+
		"set %s=1 to skip the S3 tests on a machine that cannot run it", SkipEnv)
	return gw.client()
}

func (gw *Gateway) client() *s3.Client {
	return s3.New(s3.Options{
		BaseEndpoint: aws.String(gw.Endpoint),
		Region:       Region,
		Credentials:  credentials.NewStaticCredentialsProvider(AccessKey, SecretKey, ""),
		UsePathStyle: true,
	})
}

// start serves dir on a free loopback port and returns once the server listens.
// embedgw takes an address, not a listener, so a port found free can be taken by another
// process before the gateway binds it; a bind failure is retried on a new port.
func (gw *Gateway) start(ctx context.Context, dir string) (<-chan error, error) {
	var errs []error
	for attempt := range 3 {
		addr, err := freeAddr()
		if err != nil {
			return nil, err
		}
		stopped, err := runGateway(ctx, filepath.Join(dir, fmt.Sprint(attempt)), addr)
		if err == nil {
			gw.Endpoint = "http://" + addr
			return stopped, nil
		}
		errs = append(errs, err)
	}
	return nil, fmt.Errorf("versitygw did not start: %w", errors.Join(errs...))
}

func runGateway(ctx context.Context, dir, addr string) (<-chan error, error) {
	be, err := newBackend(dir)
	if err != nil {
		return nil, err
	}
	ready := make(chan struct{})
	stopped := make(chan error, 1)
	go func() {
		stopped <- embedgw.RunVersityGW(ctx, be, &embedgw.Config{
			RootUserAccess:    AccessKey,
			RootUserSecret:    SecretKey,
			Region:            Region,
			Ports:             []string{addr},
			MaxConnections:    256,
			MaxRequests:       256,
			MultipartMaxParts: 10000,
			Quiet:             true,
			S3Options:         []s3api.Option{s3api.WithOnListen(func() { close(ready) })},
		})
	}()
	select {
	case <-ready:
		return stopped, nil
	case err := <-stopped:
		return nil, err
	case <-time.After(time.Minute): // a bound, not a wait for something to happen
		return nil, errors.New("versitygw did not listen within a minute")
	}
}

// newBackend serves dir/data and keeps object metadata in dir/meta rather than in extended
// attributes, which some temporary filesystems lack; old object versions go to
// dir/versions, so a test can turn versioning on for its bucket (PutBucketVersioning).
// posix.New changes the process's working directory to dir/data: tests sharing the gateway
// must use absolute paths only.
func newBackend(dir string) (*posix.Posix, error) {
	root, sidecar, versions := filepath.Join(dir, "data"), filepath.Join(dir, "meta"), filepath.Join(dir, "versions")
	for _, d := range []string{root, sidecar, versions} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, err
		}
	}
	ms, err := meta.NewSideCar(sidecar)
	if err != nil {
		return nil, err
	}
	return posix.New(root, ms, posix.PosixOpts{SideCarDir: sidecar, VersioningDir: versions})
}

func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	addr := ln.Addr().String()
	return addr, ln.Close()
}
