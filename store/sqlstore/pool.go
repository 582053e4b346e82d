package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
)

// pool is a *sql.DB whose statements are prepared once and reused: the hot path runs the
// same few statements for every action, and parsing them each time would cost more than
// running them. Statements are prepared at Open (prepareAll), before any transaction can
// hold a connection: preparing on the pool from inside a transaction that holds the
// writer's only connection would wait for that connection forever.
type pool struct {
	db    *sql.DB
	d     *dialect
	mu    sync.RWMutex
	stmts map[string]*sql.Stmt // by the query's shared text, prepared as d rewrites it
}

func newPool(db *sql.DB, d *dialect) *pool { return &pool{db: db, d: d, stmts: map[string]*sql.Stmt{}} }

func (p *pool) prepareAll(ctx context.Context, queries []string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, q := range queries {
		if p.stmts[q] != nil { // PostgreSQL's one pool serves both lists
			continue
		}
		s, err := p.db.PrepareContext(ctx, p.d.rewrite(q))
		if err != nil {
			return fmt.Errorf("%s: prepare %q: %w", p.d.name, p.d.rewrite(q), err)
		}
		p.stmts[q] = s
	}
	return nil
}

// prepared returns the statement prepared for query, or nil.
func (p *pool) prepared(query string) *sql.Stmt {
	p.mu.RLock()
	defer p.mu.RUnlock()
	return p.stmts[query]
}

// prepare returns query's statement on the pool, preparing and keeping it when it is new.
// Only callers that hold no connection of the pool may use it. The lock is not held while
// preparing, which waits for a connection: a transaction holding the writer's only one
// looks its statements up under the lock, and would otherwise wait for this in turn.
func (p *pool) prepare(ctx context.Context, query string) (*sql.Stmt, error) {
	if s := p.prepared(query); s != nil {
		return s, nil
	}
	s, err := p.db.PrepareContext(ctx, p.d.rewrite(query))
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if kept, ok := p.stmts[query]; ok { // prepared meanwhile by another caller
		_ = s.Close()
		return kept, nil
	}
	p.stmts[query] = s
	return s, nil
}

// convert passes args through the dialect's conversion.
func (p *pool) convert(args []any) []any {
	if p.d.args == nil {
		return args
	}
	return p.d.args(args)
}

// mapErr passes err through the dialect's mapping.
func (p *pool) mapErr(err error) error {
	if err == nil || p.d.mapErr == nil {
		return err
	}
	return p.d.mapErr(err)
}

func (p *pool) close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	var errs []error
	for _, s := range p.stmts {
		errs = append(errs, s.Close())
	}
	p.stmts = nil
	return errors.Join(append(errs, p.db.Close())...)
}

// conn runs prepared statements straight on a pool or, when tx is set, inside that
// transaction (database/sql reuses the statement already prepared on the tx's connection).
type conn struct {
	p  *pool
	tx *sql.Tx
}

func (c conn) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if c.tx == nil {
		return c.p.prepare(ctx, query)
	}
	if s := c.p.prepared(query); s != nil {
		return c.tx.StmtContext(ctx, s), nil
	}
	// Not prepared at Open: prepare on the transaction's own connection, for this
	// transaction only.
	return c.tx.PrepareContext(ctx, c.p.d.rewrite(query))
}

func (c conn) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	args = c.p.convert(args)
	s, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	res, err := s.ExecContext(ctx, args...)
	return res, c.p.mapErr(err)
}

// execOne runs a guarded statement and reports whether it changed a row.
func (c conn) execOne(ctx context.Context, query string, args ...any) (bool, error) {
	res, err := c.exec(ctx, query, args...)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

func (c conn) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	args = c.p.convert(args)
	s, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	rows, err := s.QueryContext(ctx, args...)
	return rows, c.p.mapErr(err)
}

// queryRow returns the first row; a statement that cannot be prepared surfaces at Scan.
func (c conn) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	args = c.p.convert(args)
	s, err := c.stmt(ctx, query)
	if err != nil {
		// An unprepared statement has no *sql.Row to carry the error; running the text
		// directly reproduces the same error at Scan.
		if c.tx != nil {
			return c.tx.QueryRowContext(ctx, c.p.d.rewrite(query), args...)
		}
		return c.p.db.QueryRowContext(ctx, c.p.d.rewrite(query), args...)
	}
	return s.QueryRowContext(ctx, args...)
}

// scanner is a *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

// ranked is a row with its rowid, which breaks ties in an order and positions a cursor.
type ranked[T any] struct {
	v     *T
	rowid int64
}

// withRowid turns a scan function into one that also reads a trailing rowid column.
func withRowid[T any](scan func(scanner, ...any) (*T, error)) func(scanner) (*ranked[T], error) {
	return func(sc scanner) (*ranked[T], error) {
		r := &ranked[T]{}
		v, err := scan(sc, &r.rowid)
		r.v = v
		return r, err
	}
}

// values drops the rowids.
func values[T any](rs []*ranked[T]) []*T {
	out := make([]*T, len(rs))
	for i, r := range rs {
		out[i] = r.v
	}
	return out
}

// queryAll runs query on c and scans every row with scan.
func queryAll[T any](ctx context.Context, c conn, scan func(scanner) (*T, error), query string, args ...any) ([]*T, error) {
	rows, err := c.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// reader runs single statements on the read pool, outside any transaction.
func (db *DB) reader() conn { return conn{p: db.r} }

// writer runs single statements on the writer; each commits on its own.
func (db *DB) writer() conn { return conn{p: db.w} }
