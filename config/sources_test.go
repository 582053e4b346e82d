package config_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"sluice/config"
)

func TestSourceSettings(t *testing.T) {
	t.Parallel()
	valid := func(edit func(*config.Server)) error {
		s := config.Defaults()
		s.DataDir = t.TempDir()
		edit(&s)
		return s.Validate()
	}

	t.Run("Defaults", func(t *testing.T) {
		t.Parallel()
		s := config.Defaults()
		require.Nil(t, s.RegistryURL())
	})
	t.Run("FromEnv", func(t *testing.T) {
		t.Parallel()
		env := map[string]string{"SLUICE_REGISTRY": "http://127.0.0.1:5000", "SLUICE_REGISTRY_USERNAME": "ci",
			"SLUICE_REGISTRY_PASSWORD": "pw"}
		s, err := config.Defaults().FromEnv(func(k string) string { return env[k] })
		require.NoError(t, err)
		require.Equal(t, "127.0.0.1:5000", s.RegistryURL().Host)
		require.Equal(t, "ci", s.RegistryUsername)
		require.Equal(t, "pw", s.RegistryPassword)
	})
	refusals := []struct {
		name, want string
		edit       func(*config.Server)
	}{
		{"ErrRegistryNotURL", "--registry", func(s *config.Server) { s.Registry = "127.0.0.1:5000" }},
		{"ErrRegistryPath", "--registry", func(s *config.Server) { s.Registry = "https://r.example.com/team" }},
		{"ErrRegistryUserInfo", "--registry", func(s *config.Server) { s.Registry = "https://u:p@r.example.com" }},
		{"ErrUserWithoutRegistry", "--registry-username", func(s *config.Server) { s.RegistryUsername, s.RegistryPassword = "u", "p" }},
		{"ErrUserWithoutPassword", "SLUICE_REGISTRY_PASSWORD", func(s *config.Server) {
			s.Registry, s.RegistryUsername = "https://r.example.com", "u"
		}},
	}
	for _, c := range refusals {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			require.ErrorContains(t, valid(c.edit), c.want)
		})
	}
}
