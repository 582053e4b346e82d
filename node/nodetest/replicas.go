package nodetest

import (
	"testing"
	"time"

	"sluice/config"
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
		rs = append(rs, replica(t, cfg))
	}
	return rs
}

// Another starts one more replica beside r.
func (r *Replica) Another(t *testing.T) *Replica {
	t.Helper()
	cfg := r.Node.Config
	cfg.Listen = "127.0.0.1:0"
	return replica(t, cfg)
}

func replica(t *testing.T, cfg config.Server) *Replica {
	t.Helper()
	leads := make(chan bool, 64)
	b := start(t, cfg, node.Options{LeaderLease: time.Second, OnLeader: func(held bool) { leads <- held }})
	return &Replica{Bundle: b, Leads: leads}
}
