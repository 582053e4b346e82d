package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"sluice"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
)

// PostgreSQL runs the shared statements rewritten (pgRewrite) on one pool of connections
// that every write and read shares; several processes may open the same database.
//
// Isolation: writes run at READ COMMITTED. Update first takes a transaction-scoped
// advisory lock on its pipeline's name, so the Updates of one pipeline take turns across
// every process while other pipelines go on; Tx.Apply's guards are single UPDATEs whose
// WHERE checks the status the snapshot saw, and READ COMMITTED re-checks that WHERE on the
// newest version of a row another transaction changed meanwhile (a claim, a lease), so a
// guard fails as EConflict instead of overwriting. SERIALIZABLE would add nothing the lock
// and the guards do not give, and would abort every Update that read rows a claim or a
// lease extension wrote, with a retry loop around the engine's transactions. Reader
// methods read in one REPEATABLE READ, READ ONLY transaction, so a multi-statement read
// sees one snapshot, as on SQLite. Claims lock their jobs FOR UPDATE SKIP LOCKED, so
// concurrent claimers pass each other's rows instead of waiting for them. The outbox and
// the audit log are read by id: a transaction that appends to them takes a lock held to
// its commit, so ids are in commit order (a sequence alone is not).
//
// Locks and notifications are scoped by the schema (the connection's search_path), so
// stores in different schemas of one database do not wait for or wake each other.

// PoolConfig sizes PostgreSQL's connection pool.
type PoolConfig struct {
	// MaxConns bounds the open connections (default 16); the listener holds one more.
	MaxConns int
	// MaxIdleConns keeps this many open between bursts (default MaxConns).
	MaxIdleConns int
	// ConnMaxLifetime closes a connection after this long, so a pool follows a failover or
	// a resized server (default 30 minutes; 0 here keeps the default).
	ConnMaxLifetime time.Duration
}

// WithPool sizes PostgreSQL's connection pool; SQLite ignores it.
func WithPool(p PoolConfig) Option { return func(o *options) { o.pool = p } }

// OpenPostgres connects to the PostgreSQL database at dsn (a postgres:// URL or key=value
// string) and applies any migrations it has not seen yet.
func OpenPostgres(ctx context.Context, dsn string, opts ...Option) (*DB, error) {
	o := options{clock: systemClock{}}
	for _, opt := range opts {
		opt(&o)
	}
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: the database URL: %w", err)
	}
	sdb := stdlib.OpenDB(*cfg)
	n := o.pool.MaxConns
	if n <= 0 {
		n = 16
	}
	idle := o.pool.MaxIdleConns
	if idle <= 0 || idle > n {
		idle = n
	}
	life := o.pool.ConnMaxLifetime
	if life <= 0 {
		life = 30 * time.Minute
	}
	sdb.SetMaxOpenConns(n)
	sdb.SetMaxIdleConns(idle)
	sdb.SetConnMaxLifetime(life)
	schema, err := pgSchema(ctx, sdb, pgStartWait, o.waiting)
	if err != nil {
		return nil, errors.Join(fmt.Errorf("postgres: connect: %w", err), sdb.Close())
	}
	d := postgresDialect(schema)
	l, err := listen(ctx, cfg, d)
	if err != nil {
		return nil, errors.Join(fmt.Errorf("postgres: listen: %w", err), sdb.Close())
	}
	p := newPool(sdb, d)
	db, err := open(d, p, p, o)
	if err != nil {
		l.stop()
		return nil, err
	}
	l.start(db)
	return db, nil
}

// postgresDialect is PostgreSQL's dialect for the tables in schema.
func postgresDialect(schema string) *dialect {
	channel := "sluice:" + schema
	self := rand.Text() // tells this store's notifications apart from other processes'
	// Advisory locks are per database: the first key names the schema and what is locked.
	key := func(what string) string { return pgQuote(schema + ":" + what) }
	return &dialect{
		name:       "postgres",
		migrations: "migrations/postgres",
		rewrite:    pgRewrite,
		migrationsTable: `CREATE TABLE IF NOT EXISTS schema_migrations (
	version BIGINT PRIMARY KEY,
	name    TEXT NOT NULL,
	applied BIGINT NOT NULL
)`,
		tableExists:    `SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?`,
		readTx:         &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true},
		lockPipeline:   `SELECT pg_advisory_xact_lock(hashtext(` + key("pipeline") + `), hashtext(?))`,
		lockMigrations: `SELECT pg_advisory_xact_lock(hashtext(` + key("migrations") + `), 0)`,
		lockOutbox:     `SELECT pg_advisory_xact_lock(hashtext(` + key("log") + `), 0)`,
		lockDeliveries: `SELECT pg_advisory_xact_lock(hashtext(` + key("deliveries") + `), hashtext(?))`,
		lockRepo:       `SELECT pg_advisory_lock(hashtext(` + key("repos") + `), hashtext(?))`,
		unlockRepo:     `SELECT pg_advisory_unlock(hashtext(` + key("repos") + `), hashtext(?))`,
		args:           pgArgs,
		notify: func(topic string) (string, []any) {
			return `SELECT pg_notify(?, ?)`, []any{channel, self + " " + topic}
		},
		channel: channel,
		self:    self,
	}
}

// pgArgs sends booleans and integers as text, which PostgreSQL reads as the type the
// statement gives the parameter: the shared statements pass Go bools for integer columns
// and integers where a parameter is compared as a boolean or as text, as SQLite allows.
func pgArgs(args []any) []any {
	var out []any
	for i, a := range args {
		var s string
		switch v := a.(type) {
		case bool:
			s = "0"
			if v {
				s = "1"
			}
		case int:
			s = strconv.Itoa(v)
		case int64:
			s = strconv.FormatInt(v, 10)
		default:
			continue
		}
		if out == nil {
			out = slices.Clone(args)
		}
		out[i] = s
	}
	if out == nil {
		return args
	}
	return out
}

// PostgreSQL's SQLSTATE codes of the errors pgMapErr maps.
const (
	pgUniqueViolation      = "23505"
	pgSerializationFailure = "40001"
	pgDeadlockDetected     = "40P01"
)

// pgMapErr turns a unique violation, a serialization failure and a deadlock into
// EConflict: on one database with several writers they mean another request wrote the same
// thing at the same time (SQLite's single writer checks before it writes, and never races).
func pgMapErr(err error) error {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return err
	}
	switch pe.Code {
	case pgUniqueViolation:
		return sluice.Errorf(sluice.EConflict, "Store", "another request wrote the same resource at the same time (%s); try again", pe.ConstraintName)
	case pgSerializationFailure, pgDeadlockDetected:
		return sluice.Errorf(sluice.EConflict, "Store", "another request changed the same resources at the same time; try again")
	}
	return err
}

// pgQuote is s as an SQL string literal.
func pgQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// pgRewriteRule is one rewrite of SQLite's spelling into PostgreSQL's.
type pgRewriteRule struct {
	re   *regexp.Regexp
	with string
}

// pgRewrites turn SQLite's spelling into PostgreSQL's, in order; placeholders last. They
// compile at the first rewrite, so a server on SQLite never holds them.
var pgRewrites = sync.OnceValue(func() []pgRewriteRule {
	return []pgRewriteRule{
		// A random nonce per claimed row.
		{regexp.MustCompile(`lower\(hex\(randomblob\(16\)\)\)`), `replace(gen_random_uuid()::text, '-', '')`},
		// The last id the outbox ever gave, pruned or not.
		{regexp.MustCompile(`\(SELECT seq FROM sqlite_sequence WHERE name = 'outbox'\)`), `pg_sequence_last_value(pg_get_serial_sequence('outbox', 'id'))`},
		// A claim's configuration match: every key of the object ?8 equals the job's.
		{regexp.MustCompile(`json_each\((\?\d*)\) m\s+WHERE json_extract\(jobs\.data, '\$\.configuration\.' \|\| json_quote\(m\.key\)\) IS NOT m\.value`),
			`json_each_text(CAST($1 AS json)) m WHERE (CAST(jobs.data AS jsonb) -> 'configuration' ->> m.key) IS DISTINCT FROM m.value`},
		// Claims (jobs, outbound deliveries) lock the rows they pick and pass the rows another
		// claimer has locked, so two claimers never pick one row (READ COMMITTED would not
		// re-run the sub-select for a row it waited for) and never wait for each other.
		{regexp.MustCompile(`(ORDER BY (?:created_at, rowid|next_attempt, seq) LIMIT \?\d+)\)`), `$1 FOR UPDATE SKIP LOCKED)`},
		// Arrays of objects, whose members are read with ->>.
		{regexp.MustCompile(`(value ->> [^\n]*\n\s*FROM )json_each\((\?\d*)\)`), `${1}json_array_elements(CAST($2 AS json))`},
		// Arrays of numbers.
		{regexp.MustCompile(`(\bversion IN \(SELECT )value( FROM )json_each\(([^()]+)\)`), `${1}CAST(value AS bigint)${2}json_array_elements_text(CAST($3 AS json))`},
		// Arrays of strings.
		{regexp.MustCompile(`json_each\(([^()]+)\)`), `json_array_elements_text(CAST($1 AS json))`},
		// A JSON text column's member by path.
		{regexp.MustCompile(`(\w+(?:\.\w+)?) ->> '\$\.([\w.]+)'`), `(CAST($1 AS jsonb) #>> '{$2}')`},
		{regexp.MustCompile(`\binstr\(`), `strpos(`},
		// A parameter compared with 0 is a 64-bit integer (a time), not the literal's int4.
		{regexp.MustCompile(`(\?\d*) ([=<>]+) 0\b`), `CAST($1 AS bigint) $2 0`},
		// SQLite's two-argument max and min are greatest and least.
		{regexp.MustCompile(`\bmax\(([^(),]+),([^()]+)\)`), `greatest($1,$2)`},
		{regexp.MustCompile(`\bmin\(([^(),]+),([^()]+)\)`), `least($1,$2)`},
		// Unary plus, SQLite's hint not to use an index on the column, is coalesce(c, c) here,
		// which no index matches either: a prepared statement's generic plan otherwise picked
		// the pipeline's index for an execution's action runs and read its whole history.
		{regexp.MustCompile(`([\s(])\+([a-z_][a-z_0-9]*(?:\.[a-z_][a-z_0-9]*)?)`), `${1}coalesce($2, $2)`},
	}
})

var (
	pgArrayOfArrays = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`json_each\(([^()]+)\) j\b`) })
	pgIsNot         = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\bIS NOT ([^N(]|N[^U])`) })
	pgOrIgnore      = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(\s*)INSERT OR IGNORE INTO`) })
	pgReturning     = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?s)\sRETURNING\s.*$`) })
	pgPathBracket   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`#>> '\{([\w.]+)\}'`) })
)

// pgRewritten keeps each statement's rewrite: statements not prepared at Open are prepared
// again in every transaction that runs them.
var pgRewritten sync.Map // shared text -> PostgreSQL's

// pgRewrite turns one shared statement into PostgreSQL's spelling.
func pgRewrite(q string) string {
	if r, ok := pgRewritten.Load(q); ok {
		return r.(string)
	}
	r := pgRewriteNow(q)
	pgRewritten.Store(q, r)
	return r
}

func pgRewriteNow(q string) string {
	if strings.Contains(q, "j.value ->>") { // arrays of arrays, whose members are read with ->> 0
		q = pgArrayOfArrays().ReplaceAllString(q, `json_array_elements(CAST($1 AS json)) j`)
	}
	for _, r := range pgRewrites() {
		q = r.re.ReplaceAllString(q, r.with)
	}
	q = pgPathBracket().ReplaceAllStringFunc(q, func(m string) string { return strings.ReplaceAll(m, ".", ",") })
	q = pgIsNot().ReplaceAllString(q, `IS DISTINCT FROM $1`)
	if pgOrIgnore().MatchString(q) {
		q = pgOrIgnore().ReplaceAllString(q, `${1}INSERT INTO`)
		if loc := pgReturning().FindStringIndex(q); loc != nil {
			q = q[:loc[0]] + " ON CONFLICT DO NOTHING" + q[loc[0]:]
		} else {
			q += " ON CONFLICT DO NOTHING"
		}
	}
	return pgPlaceholders(q)
}

// pgPlaceholders numbers SQLite's ?NNN and ? as $NNN: a bare ? takes the number after the
// largest so far, as SQLite numbers it. String literals and quoted names are left alone.
func pgPlaceholders(q string) string {
	var b strings.Builder
	highest := 0
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch c {
		case '\'', '"':
			j := strings.IndexByte(q[i+1:], c)
			if j < 0 {
				b.WriteString(q[i:])
				return b.String()
			}
			b.WriteString(q[i : i+j+2])
			i += j + 1
			continue
		case '?':
			j := i + 1
			for j < len(q) && q[j] >= '0' && q[j] <= '9' {
				j++
			}
			n := highest + 1
			if j > i+1 {
				n, _ = strconv.Atoi(q[i+1 : j])
			}
			highest = max(highest, n)
			b.WriteString("$" + strconv.Itoa(n))
			i = j - 1
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}
