package main

import (
	"github.com/spf13/pflag"

	"sluice/config"
)

// databaseFlags are the settings of where state lives.
func databaseFlags(f *pflag.FlagSet, cfg *config.Server) {
	f.StringVar(&cfg.Database.URL, "database", cfg.Database.URL, "where state lives: empty for SQLite in the data directory (DATA-DIR/sluice.db), "+
		"or a PostgreSQL URL (postgres://USER:PASSWORD@HOST:5432/DB?sslmode=require; the tables go in the connection's schema, search_path, public by default), "+
		"which several servers may share as replicas with one --data-dir (env SLUICE_DATABASE; see docs/replicas.md)")
	f.IntVar(&cfg.Database.MaxConns, "database-max-conns", cfg.Database.MaxConns, "PostgreSQL connections this server opens at most, plus one listening for notifications; "+
		"keep servers × (this + 1) under PostgreSQL's max_connections (env SLUICE_DATABASE_MAX_CONNS; default 16)")
	f.DurationVar(&cfg.Database.ConnMaxLifetime, "database-conn-lifetime", cfg.Database.ConnMaxLifetime, "PostgreSQL connections are closed and opened again after this long, "+
		"so the pool follows a failover (env SLUICE_DATABASE_CONN_LIFETIME; default 30m)")
}
