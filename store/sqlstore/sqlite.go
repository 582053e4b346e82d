package sqlstore

import (
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// sqliteDialect is the SQL as written: the shared statements are SQLite's own text.
// SQLite allows one writer at a time, so every write goes through one connection and
// transactions begin IMMEDIATE (_txlock below): a transaction takes the write lock when it
// starts instead of failing with SQLITE_BUSY when it first writes. That single writer
// also serialises the Updates of all pipelines, which is what Store.Update promises, and
// gives outbox ids in commit order, so the dialect needs no lock of its own.
var sqliteDialect = &dialect{
	name:       "sqlite",
	migrations: "migrations/sqlite",
	rewrite:    func(q string) string { return q },
	migrationsTable: `CREATE TABLE IF NOT EXISTS schema_migrations (
	version INTEGER PRIMARY KEY,
	name    TEXT NOT NULL,
	applied INTEGER NOT NULL
) STRICT`,
	tableExists: `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?`,
}

// OpenSQLite opens (creating when needed) the database file at path and applies any migrations it
// has not seen yet. An in-memory database is not supported: the reader and writer
// connections must see the same file.
func OpenSQLite(path string, opts ...Option) (*DB, error) {
	o := options{clock: systemClock{}, busyTimeout: 5 * time.Second, readConns: 4}
	for _, opt := range opts {
		opt(&o)
	}
	if path == "" || strings.ContainsRune(path, '?') || strings.HasPrefix(path, ":memory:") {
		return nil, fmt.Errorf("sqlite: invalid database path %q", path)
	}
	w, err := openPool(path, o, true)
	if err != nil {
		return nil, err
	}
	r, err := openPool(path, o, false)
	if err != nil {
		return nil, errors.Join(err, w.close())
	}
	return open(sqliteDialect, w, r, o)
}

// The page caches' sizes, in pages (see openPool).
const (
	writerCachePages = 1024
	readerCachePages = 256
)

// openPool opens the writer (one connection) or the read pool. synchronous=NORMAL in WAL
// mode keeps every committed transaction through a crash of the process (the WAL is in the
// OS's page cache); only a power loss or kernel crash can lose the last commits. That is
// the durability Sluice promises, and it saves an fsync per commit on the hot path.
func openPool(path string, o options, writer bool) (*pool, error) {
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", o.busyTimeout.Milliseconds()))
	q.Add("_pragma", "foreign_keys(ON)")
	q.Add("_pragma", "synchronous(NORMAL)")
	// Temporary tables and indexes stay in memory: every query reads a bounded page by an
	// index, so they are small, and a file would cost syscalls for nothing.
	q.Add("_pragma", "temp_store(MEMORY)")
	// No memory map: mapped pages would count in the server's resident memory, and reads
	// through the OS's page cache cost little more.
	q.Add("_pragma", "mmap_size(0)")
	// The page caches are sized on purpose: each fills up to its size on a large history and
	// stays full, and in this driver a cached 4 KiB page costs 8 KiB of memory (the page and
	// its header take an 8 KiB slot of the driver's allocator, outside the Go heap). The
	// writer's cache keeps what the hot path writes again and again (the b-trees' upper
	// pages, the executions in flight, the outbox's tail): 1,024 pages, 8 MiB. A reader's
	// cache is emptied whenever the database changed since its last transaction (WAL mode),
	// which on a busy server is every transaction, so it only needs one transaction's pages:
	// 256, 2 MiB. The default pool's most is 8 + 4 x 2 = 16 MiB.
	if writer {
		// Deleted and overwritten content is zeroed, so a secret sealed in place (migration
		// 0014) or deleted leaves no plaintext in the file's free space.
		q.Add("_pragma", "secure_delete(ON)")
		q.Add("_pragma", fmt.Sprintf("cache_size(%d)", writerCachePages))
		q.Add("_pragma", "journal_mode(WAL)")
		q.Set("_txlock", "immediate")
	} else {
		q.Add("_pragma", fmt.Sprintf("cache_size(%d)", readerCachePages))
		q.Add("_pragma", "query_only(ON)")
	}
	sdb, err := sql.Open("sqlite", path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	n := max(o.readConns, 1)
	if writer {
		n = 1
	}
	sdb.SetMaxOpenConns(n)
	sdb.SetMaxIdleConns(n)
	sdb.SetConnMaxLifetime(0)
	sdb.SetConnMaxIdleTime(0)
	if err := sdb.Ping(); err != nil {
		return nil, errors.Join(fmt.Errorf("sqlite: open %s: %w", path, err), sdb.Close())
	}
	return newPool(sdb, sqliteDialect), nil
}
