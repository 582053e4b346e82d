package config_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice/config"
)

func TestDatabase(t *testing.T) {
	t.Parallel()
	valid := func(d config.Database) error {
		s := config.Defaults()
		s.DataDir, s.Database = t.TempDir(), d
		return s.Validate()
	}

	t.Run("FromEnv", func(t *testing.T) {
		t.Parallel()
		env := map[string]string{"SLUICE_DATABASE": "postgres://sluice@db:5432/sluice", "SLUICE_DATABASE_MAX_CONNS": "8",
			"SLUICE_DATABASE_CONN_LIFETIME": "5m"}
		s, err := config.Defaults().FromEnv(func(k string) string { return env[k] })
		require.NoError(t, err)
		require.Equal(t, config.Database{URL: "postgres://sluice@db:5432/sluice", MaxConns: 8, ConnMaxLifetime: 5 * time.Minute}, s.Database)
		require.True(t, s.Database.Postgres())
		require.False(t, config.Defaults().Database.Postgres(), "SQLite is the default")
		env["SLUICE_DATABASE_MAX_CONNS"] = "many"
		_, err = config.Defaults().FromEnv(func(k string) string { return env[k] })
		require.ErrorContains(t, err, "SLUICE_DATABASE_MAX_CONNS")
	})

	t.Run("Valid", func(t *testing.T) {
		t.Parallel()
		require.NoError(t, valid(config.Database{}))
		require.NoError(t, valid(config.Database{URL: "postgresql://u:pw@h/db?sslmode=require", MaxConns: 4}))
	})

	t.Run("ErrURLNamesNoPasswordBack", func(t *testing.T) {
		t.Parallel()
		err := valid(config.Database{URL: "mysql://u:hunter2@h/db"})
		require.ErrorContains(t, err, "--database")
		require.NotContains(t, err.Error(), "hunter2", "the password stays out of the message")
	})

	t.Run("ErrPool", func(t *testing.T) {
		t.Parallel()
		require.ErrorContains(t, valid(config.Database{MaxConns: -1}), "--database-max-conns")
		require.ErrorContains(t, valid(config.Database{ConnMaxLifetime: -time.Second}), "--database-conn-lifetime")
	})
}
