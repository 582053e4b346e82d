package config_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"sluice/config"
)

func TestActionEnv(t *testing.T) {
	t.Parallel()
	lookup := func(name string) (string, bool) {
		v, ok := map[string]string{"PROXY": "http://proxy:3128"}[name]
		return v, ok
	}
	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		env, err := config.ActionEnv([]string{"GOFLAGS=-mod=mod", "PROXY", "EMPTY="}, lookup)
		require.NoError(t, err)
		require.Equal(t, []string{"GOFLAGS=-mod=mod", "PROXY=http://proxy:3128", "EMPTY="}, env)
	})
	t.Run("ErrUnset", func(t *testing.T) {
		t.Parallel()
		_, err := config.ActionEnv([]string{"MISSING"}, lookup)
		require.EqualError(t, err, "--action-env MISSING: MISSING is not set in this process's environment")
	})
	t.Run("ErrBadName", func(t *testing.T) {
		t.Parallel()
		_, err := config.ActionEnv([]string{"1X=2"}, lookup)
		require.EqualError(t, err, `--action-env "1X=2": want NAME or NAME=VALUE, NAME a variable name`)
	})
}

func TestCheckWorkDir(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, work, want, err string
	}{
		{"Default", "", "", ""},
		{"Outside", "/srv/work", "/srv/work", ""},
		{"Sibling", "/var/lib/sluice-work", "/var/lib/sluice-work", ""},
		{"ErrInside", "/var/lib/sluice/work", "", "--work-dir /var/lib/sluice/work is inside the data directory /var/lib/sluice: put workspaces elsewhere (actions must not reach the data directory)"},
		{"ErrSame", "/var/lib/sluice/", "", "--work-dir /var/lib/sluice is inside the data directory /var/lib/sluice: put workspaces elsewhere (actions must not reach the data directory)"},
		{"ErrAbove", "/var/lib", "", "--work-dir /var/lib holds the data directory /var/lib/sluice: put workspaces elsewhere"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := config.CheckWorkDir(tt.work, "/var/lib/sluice")
			if tt.err != "" {
				require.EqualError(t, err, tt.err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
}
