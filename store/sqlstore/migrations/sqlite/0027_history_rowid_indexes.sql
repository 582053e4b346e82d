-- 0027: reads over a long history on PostgreSQL, whose indexes now end in rowid as SQLite's
-- already do (every SQLite index ends in the table's rowid, its key): nothing to change here.
SELECT 1;
