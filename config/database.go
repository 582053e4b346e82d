package config

import (
	"fmt"
	"net/url"
	"strconv"
	"time"
)

// Database says where the server keeps its state: "" for the SQLite file DataDir/sluice.db,
// or a postgres:// URL for PostgreSQL, which several servers may share. The pool settings
// apply to PostgreSQL only (SQLite has one writing connection and a small read pool).
type Database struct {
	URL string
	// MaxConns bounds the server's open connections to PostgreSQL (0: 16); one more
	// listens for notifications. Keep MaxConns × servers under the server's max_connections.
	MaxConns int
	// ConnMaxLifetime closes a connection after this long, so the pool follows a failover or
	// a restarted server (0: 30 minutes).
	ConnMaxLifetime time.Duration
}

// Postgres reports whether the state lives in PostgreSQL.
func (d Database) Postgres() bool { return d.URL != "" }

// databaseFromEnv applies SLUICE_DATABASE, SLUICE_DATABASE_MAX_CONNS and
// SLUICE_DATABASE_CONN_LIFETIME.
func (s Server) databaseFromEnv(getenv func(string) string) (Server, error) {
	if v := getenv("SLUICE_DATABASE"); v != "" {
		s.Database.URL = v
	}
	if v := getenv("SLUICE_DATABASE_MAX_CONNS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return s, fmt.Errorf("SLUICE_DATABASE_MAX_CONNS %q: want a number of connections", v)
		}
		s.Database.MaxConns = n
	}
	if v := getenv("SLUICE_DATABASE_CONN_LIFETIME"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			return s, fmt.Errorf("SLUICE_DATABASE_CONN_LIFETIME %q: want a duration such as 30m", v)
		}
		s.Database.ConnMaxLifetime = d
	}
	return s, nil
}

func (s *Server) validateDatabase() error {
	d := s.Database
	if d.URL != "" {
		u, err := url.Parse(d.URL)
		if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") || u.Host == "" {
			return fmt.Errorf("--database %q: want empty (SQLite in the data directory) or a PostgreSQL URL such as postgres://sluice@db.example:5432/sluice", redactURL(d.URL))
		}
	}
	if d.MaxConns < 0 {
		return fmt.Errorf("--database-max-conns %d: want a positive number, or 0 for 16", d.MaxConns)
	}
	if d.ConnMaxLifetime < 0 {
		return fmt.Errorf("--database-conn-lifetime %s: want a positive duration, or 0 for 30m", d.ConnMaxLifetime)
	}
	return nil
}

// redactURL is raw without its password, for messages.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}
