-- 0026: leader leases (sluice.LeaseStore): what several servers on one database run once
-- belongs to the holder of its lease until the lease runs out (unix nanoseconds).

CREATE TABLE leases (
    name       TEXT PRIMARY KEY,
    holder     TEXT NOT NULL,
    expires_at INTEGER NOT NULL
);
