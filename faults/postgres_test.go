package faults

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice/node/nodetest"
)

// postgres is a PostgreSQL cluster of the harness's own, in a temporary directory on a free
// loopback port: the harness restarts it, which it must never do to the shared one.
type postgres struct {
	bin  string   // directory of initdb, pg_ctl and postgres
	root string   // the cluster's directory: data/, the log and the socket
	as   []string // the command prefix that runs a program as the cluster's owner
	URL  string   // what `sluice server --database` takes
}

// startPostgres makes and starts the cluster. Without PostgreSQL's programs (or, as root,
// without setpriv and a postgres user to run them as) the test is skipped, or fails when
// SLUICE_REQUIRE_POSTGRES=1 says they must be there (as in CI).
func startPostgres(t *testing.T) *postgres {
	t.Helper()
	pg := &postgres{bin: postgresBin()}
	missing := func(what string) {
		if os.Getenv("SLUICE_REQUIRE_POSTGRES") == "1" {
			t.Fatalf("the fault harness needs %s (SLUICE_REQUIRE_POSTGRES=1)", what)
		}
		t.Skipf("no %s; set SLUICE_REQUIRE_POSTGRES=1 to fail instead", what)
	}
	if pg.bin == "" {
		missing("PostgreSQL programs (initdb, pg_ctl) in /usr/lib/postgresql/*/bin or on PATH")
	}
	root, err := os.MkdirTemp("", "sluice-faults-pg-")
	require.NoError(t, err)
	pg.root = root
	t.Cleanup(func() { _ = os.RemoveAll(root) })
	if os.Geteuid() == 0 { // PostgreSQL refuses to run as root: run it as its own user
		u, err := user.Lookup("postgres")
		setpriv, perr := exec.LookPath("setpriv")
		if err != nil || perr != nil {
			missing("postgres user and setpriv to run PostgreSQL as (the tests run as root)")
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		require.NoError(t, os.Chown(root, uid, gid))
		pg.as = []string{setpriv, "--reuid=" + u.Uid, "--regid=" + u.Gid, "--clear-groups"}
	}
	pg.run(t, "initdb", "-D", pg.data(), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
	port := portOf(t, nodetest.FreeAddr(t))
	// fsync=off: the harness kills PostgreSQL's processes, never the machine, so what a
	// commit wrote is in the kernel's cache whatever happens to them.
	opts := fmt.Sprintf("-p %d -c listen_addresses=127.0.0.1 -c unix_socket_directories=%s -c fsync=off -c max_connections=80", port, root)
	pg.run(t, "pg_ctl", "-D", pg.data(), "-l", filepath.Join(root, "postgres.log"), "-w", "-t", "120", "-o", opts, "start")
	t.Cleanup(func() { _ = pg.exec("pg_ctl", "-D", pg.data(), "-m", "immediate", "-w", "stop") })
	pg.URL = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port)
	return pg
}

func (pg *postgres) data() string { return filepath.Join(pg.root, "data") }

// Restart stops PostgreSQL at once, as a crash would (every backend ends without a
// checkpoint; the next start replays the WAL), and starts it again on the same port.
func (pg *postgres) Restart() error {
	return pg.exec("pg_ctl", "-D", pg.data(), "-l", pg.Log(), "-m", "immediate", "-w", "-t", "120", "restart")
}

// Log is PostgreSQL's server log, for a failure's report.
func (pg *postgres) Log() string { return filepath.Join(pg.root, "postgres.log") }

func (pg *postgres) command(program string, args ...string) *exec.Cmd {
	argv := append(append(append([]string{}, pg.as...), filepath.Join(pg.bin, program)), args...)
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = pg.root // the cluster's owner may not enter the test's directory
	return cmd
}

func (pg *postgres) run(t *testing.T, program string, args ...string) {
	t.Helper()
	require.NoError(t, pg.exec(program, args...))
}

// exec runs a program to its end. Its output goes to a file, not a pipe: the postmaster
// pg_ctl starts would hold a pipe open long after pg_ctl returns.
func (pg *postgres) exec(program string, args ...string) error {
	out, err := os.CreateTemp(pg.root, "out-")
	if err != nil {
		return err
	}
	defer os.Remove(out.Name())
	defer out.Close()
	cmd := pg.command(program, args...)
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Run(); err != nil {
		b, _ := os.ReadFile(out.Name())
		return fmt.Errorf("%s: %v: %s", program, err, b)
	}
	return nil
}

// postgresBin is the newest /usr/lib/postgresql/VERSION/bin (Debian's layout), else the
// directory of initdb on PATH, else "".
func postgresBin() string {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) > version(dirs[j]) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			return filepath.Dir(real)
		}
	}
	return ""
}

func version(bin string) int {
	v, _ := strconv.Atoi(filepath.Base(filepath.Dir(bin)))
	return v
}

func portOf(t *testing.T, addr string) int {
	t.Helper()
	_, p, err := net.SplitHostPort(addr)
	require.NoError(t, err)
	port, err := strconv.Atoi(p)
	require.NoError(t, err)
	return port
}
