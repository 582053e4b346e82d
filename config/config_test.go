package config_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice/config"
)

func TestPollInterval(t *testing.T) {
	t.Parallel()
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == "SLUICE_POLL_INTERVAL" {
				return v
			}
			return ""
		}
	}

	t.Run("DefaultIsAMinute", func(t *testing.T) {
		t.Parallel()
		require.Equal(t, time.Minute, config.Defaults().PollInterval)
	})
	t.Run("FromEnv", func(t *testing.T) {
		t.Parallel()
		s, err := config.Defaults().FromEnv(env("5m"))
		require.NoError(t, err)
		require.Equal(t, 5*time.Minute, s.PollInterval)
		_, err = config.Defaults().FromEnv(env("soon"))
		require.ErrorContains(t, err, "SLUICE_POLL_INTERVAL")
	})
	t.Run("ZeroOrAtLeastTenSeconds", func(t *testing.T) {
		t.Parallel()
		for d, ok := range map[time.Duration]bool{0: true, 10 * time.Second: true, 5 * time.Second: false, -time.Second: false} {
			s := config.Defaults()
			s.DataDir, s.PollInterval = t.TempDir(), d
			err := s.Validate()
			if ok {
				require.NoError(t, err, d)
			} else {
				require.ErrorContains(t, err, "--poll-interval", d)
			}
		}
	})
}
