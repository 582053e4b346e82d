package postgres_test

import (
	"io"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice/sealbox"
	"sluice/store/postgres"
)

// TestOpenWaitsForTheDatabase: a server started before its database is up (or while it
// restarts) waits for it: here nothing listens on the database's address when Open starts,
// and the database appears there a moment later.
func TestOpenWaitsForTheDatabase(t *testing.T) {
	t.Parallel()
	dsn := schemas.Schema(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close()) // a free port, refused until the proxy below takes it
	require.Contains(t, dsn, "127.0.0.1:5432")
	opened := make(chan error, 1)
	var waits atomic.Int64
	go func() {
		s, err := postgres.Open(t.Context(), strings.Replace(dsn, "127.0.0.1:5432", addr, 1), postgres.WithSealer(sealbox.Ephemeral()),
			postgres.WithWaiting(func(err error) {
				if strings.Contains(err.Error(), "connection refused") {
					waits.Add(1)
				}
			}))
		if err == nil {
			err = s.Close()
		}
		opened <- err
	}()
	time.Sleep(300 * time.Millisecond) // Open's first attempts are refused meanwhile
	proxyTo(t, addr, "127.0.0.1:5432", nil)
	require.NoError(t, <-opened)
	require.Positive(t, waits.Load(), "it was refused, and told so, before the database came")
}

// TestOpenWaitsThroughResetConnections: a database going down may accept a connection and
// reset it; Open tries again, as for a refused one.
func TestOpenWaitsThroughResetConnections(t *testing.T) {
	t.Parallel()
	dsn := schemas.Schema(t)
	require.Contains(t, dsn, "127.0.0.1:5432")
	var resets atomic.Int64
	resets.Store(2)
	addr := proxyTo(t, "127.0.0.1:0", "127.0.0.1:5432", &resets)
	var waits atomic.Int64
	s, err := postgres.Open(t.Context(), strings.Replace(dsn, "127.0.0.1:5432", addr, 1), postgres.WithSealer(sealbox.Ephemeral()),
		postgres.WithWaiting(func(error) { waits.Add(1) }))
	require.NoError(t, err)
	require.NoError(t, s.Close())
	require.Positive(t, waits.Load())
	require.LessOrEqual(t, resets.Load(), int64(0), "the connections were reset")
}

// TestOpenRefusesAWrongDatabaseAtOnce: a failure that waiting cannot mend is returned.
func TestOpenRefusesAWrongDatabaseAtOnce(t *testing.T) {
	t.Parallel()
	_, err := postgres.Open(t.Context(), "postgres://postgres@127.0.0.1:5432/no_such_database_here?sslmode=disable")
	require.ErrorContains(t, err, "no_such_database_here")
}

// proxyTo listens on addr (port 0: a new one) and joins each connection to target, but
// resets those that come while *resets (if not nil) is positive. It returns its address.
func proxyTo(t *testing.T, addr, target string, resets *atomic.Int64) string {
	t.Helper()
	l, err := net.Listen("tcp", addr)
	require.NoError(t, err)
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			if resets != nil && resets.Add(-1) >= 0 {
				_ = c.(*net.TCPConn).SetLinger(0) // close sends a reset
				_ = c.Close()
				continue
			}
			go join(c, target)
		}
	}()
	return l.Addr().String()
}

// join copies between c and a new connection to target until either ends.
func join(c net.Conn, target string) {
	defer c.Close()
	up, err := net.Dial("tcp", target)
	if err != nil {
		return
	}
	defer up.Close()
	go func() { _, _ = io.Copy(up, c) }()
	_, _ = io.Copy(c, up)
}
