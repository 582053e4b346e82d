package main

import (
	"testing"
	"time"

	"github.com/spf13/pflag"
	"github.com/stretchr/testify/require"

	"sluice/config"
)

// TestDatabaseFlags: --database and the pool flags win over their variables and survive the
// layering; without either, state stays in SQLite.
func TestDatabaseFlags(t *testing.T) {
	t.Parallel()
	parse := func(env map[string]string, args ...string) config.Server {
		fs := pflag.NewFlagSet("server", pflag.ContinueOnError)
		defaults, pathStyle := config.Defaults(), false
		serverFlags(fs, &defaults, &pathStyle)
		require.NoError(t, fs.Parse(args))
		cfg, err := serverConfig(fs, func(k string) string { return env[k] })
		require.NoError(t, err)
		return cfg
	}
	env := map[string]string{"SLUICE_DATABASE": "postgres://env@db/sluice", "SLUICE_DATABASE_MAX_CONNS": "4"}
	cfg := parse(env, "--database", "postgres://flag@db/sluice", "--database-conn-lifetime", "10m")
	require.Equal(t, config.Database{URL: "postgres://flag@db/sluice", MaxConns: 4, ConnMaxLifetime: 10 * time.Minute}, cfg.Database)
	require.Equal(t, config.Database{URL: "postgres://env@db/sluice", MaxConns: 4}, parse(env).Database)
	require.False(t, parse(nil).Database.Postgres())
}
