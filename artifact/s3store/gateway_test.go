package s3store_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/versity/versitygw/backend/meta"
	"github.com/versity/versitygw/backend/posix"
	"github.com/versity/versitygw/embedgw"
	"github.com/versity/versitygw/s3api"
)

// The tests run against versitygw, a real S3 server, serving a temporary directory through
// its posix backend inside the test process: no mock, and nothing for CI to start.
const (
	testAccessKey = "sluice-test-access"
	testSecretKey = "sluice-test-secret-key"
	testRegion    = "us-east-1"
	testBucket    = "sluice-artifacts"
	skipEnv       = "SLUICE_SKIP_S3"
)

// gateway is the server the package's tests share: embedgw runs one gateway per process.
var gateway struct {
	endpoint string
	err      error // why it did not start; tests fail with it
}

func TestMain(m *testing.M) {
	os.Exit(runWithGateway(m))
}

func runWithGateway(m *testing.M) int {
	if os.Getenv(skipEnv) == "1" {
		return m.Run()
	}
	dir, err := os.MkdirTemp("", "sluice-s3store-")
	if err != nil {
		gateway.err = err
		return m.Run()
	}
	defer os.RemoveAll(dir)
	ctx, cancel := context.WithCancel(context.Background())
	stopped, err := startGateway(ctx, dir)
	if err == nil {
		err = createBucket(ctx, testBucket)
	}
	gateway.err = err
	code := m.Run()
	cancel()
	if stopped != nil {
		<-stopped
	}
	return code
}

// startGateway serves dir on a free loopback port and returns once the server listens.
// embedgw takes an address, not a listener, so a port found free can be taken by another
// process before the gateway binds it; a bind failure is retried on a new port.
func startGateway(ctx context.Context, dir string) (<-chan error, error) {
	var errs []error
	for attempt := range 3 {
		addr, err := freeAddr()
		if err != nil {
			return nil, err
		}
		stopped, err := runGateway(ctx, filepath.Join(dir, fmt.Sprint(attempt)), addr)
		if err == nil {
			gateway.endpoint = "http://" + addr
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
			RootUserAccess:    testAccessKey,
			RootUserSecret:    testSecretKey,
			Region:            testRegion,
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
// attributes, which some temporary filesystems lack. posix.New changes the process's
// working directory to dir/data; these tests use absolute paths only.
func newBackend(dir string) (*posix.Posix, error) {
	root, sidecar := filepath.Join(dir, "data"), filepath.Join(dir, "meta")
	for _, d := range []string{root, sidecar} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, err
		}
	}
	ms, err := meta.NewSideCar(sidecar)
	if err != nil {
		return nil, err
	}
	return posix.New(root, ms, posix.PosixOpts{SideCarDir: sidecar})
}

func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	addr := ln.Addr().String()
	return addr, ln.Close()
}
