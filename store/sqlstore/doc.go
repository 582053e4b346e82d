// Package sqlstore is the Store written once in SQL, for the engines behind it: SQLite (one
// file in WAL mode, written by a single connection and read by a small pool, through the
// pure-Go driver modernc.org/sqlite, so the binary builds with CGO_ENABLED=0) and
// PostgreSQL. The packages store/sqlite and store/postgres open it.
package sqlstore
