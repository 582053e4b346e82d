package config_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"sluice/config"
)

func TestPrometheusURL(t *testing.T) {
	t.Parallel()
	valid := func(url string) error {
		s := config.Defaults()
		s.DataDir, s.PrometheusURL = t.TempDir(), url
		return s.Validate()
	}

	t.Run("FromEnv", func(t *testing.T) {
		t.Parallel()
		env := map[string]string{"SLUICE_PROMETHEUS_URL": "http://prometheus:9090"}
		s, err := config.Defaults().FromEnv(func(k string) string { return env[k] })
		require.NoError(t, err)
		require.Equal(t, "http://prometheus:9090", s.PrometheusURL)
	})

	t.Run("Valid", func(t *testing.T) {
		t.Parallel()
		require.NoError(t, valid(""), "unset: CloudWatchAlarm rules fail at once")
		require.NoError(t, valid("https://user:pw@metrics.example.com/prometheus"))
	})

	for name, url := range map[string]string{"ErrNoScheme": "127.0.0.1:9090", "ErrQuery": "http://127.0.0.1:9090/?x=1", "ErrScheme": "ftp://h"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			require.ErrorContains(t, valid(url), "--prometheus-url")
		})
	}
}
