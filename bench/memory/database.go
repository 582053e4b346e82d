package main

import (
	"database/sql"
	"fmt"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// database reads, from the stopped server's file, its size, the outbox's pages (the dbstat
// table: the outbox and its index) and rows, and the executions it holds.
func (r *report) database(path string) error {
	db, err := sql.Open("sqlite", path+"?mode=ro")
	if err != nil {
		return err
	}
	defer db.Close()
	q := func(query string, dst *int64) error {
		if err := db.QueryRow(query).Scan(dst); err != nil {
			return fmt.Errorf("%s: %w", query, err)
		}
		return nil
	}
	var pages, size, free int64
	for _, s := range []struct {
		query string
		dst   *int64
	}{
		{"PRAGMA page_count", &pages},
		{"PRAGMA page_size", &size},
		{"PRAGMA freelist_count", &free},
		{"SELECT count(*) FROM outbox", &r.outboxRows},
		{"SELECT count(*) FROM executions", &r.executions},
		{"SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name = 'outbox'", &r.outboxBytes},
	} {
		if err := q(s.query, s.dst); err != nil {
			return err
		}
	}
	r.dbBytes, r.freeBytes = pages*size, free*size
	rows, err := db.Query("SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC LIMIT 8")
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var t table
		if err := rows.Scan(&t.name, &t.bytes); err != nil {
			return err
		}
		r.tables = append(r.tables, t)
	}
	return rows.Err()
}

// table is a table or index and the bytes of its pages.
type table struct {
	name  string
	bytes int64
}
