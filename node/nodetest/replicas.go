package nodetest

import (
	"testing"
	"time"

	"sluice/node"
)

// Replica is one of several servers on one data directory and one PostgreSQL database.
type Replica struct {
	*Bundle
	// Leads receives each change of whether this replica leads.
	Leads chan bool
}

// Replicas starts n servers on one fresh data directory and the PostgreSQL database at dsn,
// each on a port of its own, with a leader lease of a second so that tests see it change
// hands quickly.
func Replicas(t *testing.T, n int, dsn string) []*Replica {
	t.Helper()
	cfg := testConfig(t)
	cfg.Database.URL, cfg.Database.MaxConns = dsn, 4
	var rs []*Replica
	for range n {
		leads := make(chan bool, 64)
		b := start(t, cfg, node.Options{LeaderLease: time.Second, OnLeader: func(held bool) { leads <- held }})
		rs = append(rs, &Replica{Bundle: b, Leads: leads})
	}
	return rs
}
