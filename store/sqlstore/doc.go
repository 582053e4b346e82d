// Package sqlstore is the Store written once in SQL, for the two engines behind it. The
// packages store/sqlite and store/postgres open it; every method, statement and scan is
// shared, and what differs is one small seam, the dialect (dialect.go):
//
//   - SQLite (sqlite.go): one file in WAL mode through the pure-Go driver modernc.org/sqlite
//     (the binary builds with CGO_ENABLED=0), written by a single connection whose
//     transactions begin IMMEDIATE and read by a small pool. The single writer serialises
//     everything, so SQLite's dialect needs no lock.
//   - PostgreSQL (postgres.go, pgnotify.go): jackc/pgx/v5 through database/sql (its stdlib
//     driver), one pool for reads and writes, several processes on one database. Update
//     takes a per-pipeline advisory transaction lock; claims pick rows FOR UPDATE SKIP
//     LOCKED; appends to the outbox and the audit log take a lock that keeps their ids in
//     commit order; notifications travel with LISTEN/NOTIFY, on pgx's own connection.
//     postgres.go says why READ COMMITTED, and not SERIALIZABLE, is what the port needs.
//
// The statements are written in SQLite's spelling, which PostgreSQL's dialect rewrites once
// per statement when it is prepared (pgRewrite: numbered placeholders, JSON arrays,
// two-argument max and min, INSERT OR IGNORE, the claims' row locks). Every table of the
// PostgreSQL schema has a rowid column (an identity, or the INTEGER PRIMARY KEY it stands for
// in SQLite), so the statements that order by insertion or page by rowid run unchanged.
//
// Migrations are numbered files, one directory per engine (migrations/sqlite,
// migrations/postgres), applied by one small migrator (migrate.go); a version means the
// same change on both engines, so a new migration is written twice. Times are integer
// nanoseconds and bodies JSON text on both.
package sqlstore
