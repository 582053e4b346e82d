// Package pgdb gives a benchmark a PostgreSQL database of its own on a server it is pointed
// at: made new for the run and dropped at its end, so that a benchmark never writes into a
// database (or a schema) anything else uses.
package pgdb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
)

// Database is a database made for one run.
type Database struct {
	Name string
	URL  string // server's URL with the path naming the new database
	// admin is a connection to the database server names, from which Name is made and dropped.
	admin *sql.DB
}

// Create makes the database PREFIX_PID on the PostgreSQL server, whose URL
// (postgres://USER@HOST:PORT/DB?...) names a database to connect to for CREATE DATABASE.
func Create(ctx context.Context, server, prefix string) (*Database, error) {
	u, err := url.Parse(server)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return nil, fmt.Errorf("-database %q: want a postgres:// URL", server)
	}
	admin, err := sql.Open("pgx", server)
	if err != nil {
		return nil, err
	}
	d := &Database{Name: fmt.Sprintf("%s_%d", prefix, os.Getpid()), admin: admin}
	if _, err := admin.ExecContext(ctx, `CREATE DATABASE `+d.Name); err != nil {
		return nil, errors.Join(fmt.Errorf("create database %s: %w", d.Name, err), admin.Close())
	}
	u.Path = "/" + d.Name
	d.URL = u.String()
	return d, nil
}

// Size is the database's size on disk, as pg_database_size reports it.
func (d *Database) Size(ctx context.Context) string {
	var n int64
	if err := d.admin.QueryRowContext(ctx, `SELECT pg_database_size($1)`, d.Name).Scan(&n); err != nil {
		return "? MB"
	}
	return fmt.Sprintf("%.1f MB", float64(n)/1e6)
}

// Drop drops the database, closing what is still connected to it.
func (d *Database) Drop(ctx context.Context) error {
	_, err := d.admin.ExecContext(ctx, `DROP DATABASE IF EXISTS `+d.Name+` WITH (FORCE)`)
	return errors.Join(err, d.admin.Close())
}

// Backends are the process ids of the database's connections (pg_stat_activity).
func (d *Database) Backends(ctx context.Context) ([]int, error) {
	rows, err := d.admin.QueryContext(ctx, `SELECT pid FROM pg_stat_activity WHERE datname = $1`, d.Name)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var pids []int
	for rows.Next() {
		var pid int
		if err := rows.Scan(&pid); err != nil {
			return nil, err
		}
		pids = append(pids, pid)
	}
	return pids, rows.Err()
}
