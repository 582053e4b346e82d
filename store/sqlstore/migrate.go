package sqlstore

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
)

//go:embed migrations/*/*.sql
var migrationFS embed.FS

type migration struct {
	version int
	name    string
	sql     string
}

// migrations lists the embedded files in order; each is named NNNN_description.sql and the
// number is its version, the same number the PostgreSQL store uses for the same change.
func migrations(dir string) ([]migration, error) {
	sub, err := fs.Sub(migrationFS, dir)
	if err != nil {
		return nil, err
	}
	return readMigrations(sub)
}

func readMigrations(fsys fs.FS) ([]migration, error) {
	names, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, name := range names {
		base := name
		num, _, _ := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if err != nil {
			return nil, fmt.Errorf("migration %s: name must start with a number", base)
		}
		text, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: base, sql: string(text)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	for i := 1; i < len(out); i++ {
		// A second file of a version would be skipped as applied: refuse it instead.
		if out[i].version == out[i-1].version {
			return nil, fmt.Errorf("migrations %s and %s have the same number", out[i-1].name, out[i].name)
		}
	}
	return out, nil
}

// sealMigration is the version from which secret columns hold sealed values (seal.go).
const sealMigration = 14

// migrate applies every migration of the engine not yet recorded, each in its own
// transaction. The version check runs inside that transaction, under the write lock
// (SQLite's IMMEDIATE transaction, PostgreSQL's lockMigrations), so two processes opening
// the same database at once apply each migration exactly once.
func (db *DB) migrate(ctx context.Context) error {
	if _, err := db.w.db.ExecContext(ctx, db.d.migrationsTable); err != nil {
		return fmt.Errorf("%s: create schema_migrations: %w", db.d.name, err)
	}
	ms, err := migrations(db.d.migrations)
	if err != nil {
		return err
	}
	for _, m := range ms {
		if err := db.apply(ctx, m); err != nil {
			return fmt.Errorf("%s: migration %s: %w", db.d.name, m.name, err)
		}
	}
	return nil
}

func (db *DB) apply(ctx context.Context, m migration) error {
	tx, err := db.w.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	if db.d.lockMigrations != "" {
		if _, err := tx.ExecContext(ctx, db.d.lockMigrations); err != nil {
			return err
		}
	}
	var n int
	err = tx.QueryRowContext(ctx, db.d.rewrite(`SELECT count(*) FROM schema_migrations WHERE version = ?`), m.version).Scan(&n)
	if err != nil || n > 0 {
		return err
	}
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return err
	}
	if m.version == sealMigration {
		// The secret columns are sealed from this version on: seal the rows written before.
		if err := db.reseal(ctx, tx); err != nil {
			return err
		}
	}
	_, err = tx.ExecContext(ctx, db.d.rewrite(`INSERT INTO schema_migrations (version, name, applied) VALUES (?, ?, ?)`),
		m.version, m.name, ts(db.clock.Now()))
	if err != nil {
		return err
	}
	return tx.Commit()
}
