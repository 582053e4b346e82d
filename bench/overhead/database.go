package main

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strings"

	"github.com/jackc/pgx/v5"
)

// dropDB drops the databases the run created, at its end.
var dropDB []func()

// createDatabase creates a new database for build name on the PostgreSQL server of base
// (connecting to base's own database to do so) and returns its URL and how to drop it.
func createDatabase(base, name string) (string, func(), error) {
	u, err := url.Parse(base)
	if err != nil {
		return "", nil, fmt.Errorf("-database: %w", err)
	}
	db := fmt.Sprintf("sluice_overhead_%d_%s", os.Getpid(), strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		return '_'
	}, strings.ToLower(name)))
	ctx := context.Background()
	admin := func(sql string) error {
		conn, err := pgx.Connect(ctx, base)
		if err != nil {
			return err
		}
		defer conn.Close(ctx)
		_, err = conn.Exec(ctx, sql)
		return err
	}
	if err := admin("CREATE DATABASE " + pgx.Identifier{db}.Sanitize()); err != nil {
		return "", nil, fmt.Errorf("create database %s: %w", db, err)
	}
	drop := func() {
		if err := admin("DROP DATABASE IF EXISTS " + pgx.Identifier{db}.Sanitize() + " WITH (FORCE)"); err != nil {
			fmt.Fprintf(os.Stderr, "overhead: drop database %s: %v\n", db, err)
		}
	}
	u.Path = "/" + db
	return u.String(), drop, nil
}
