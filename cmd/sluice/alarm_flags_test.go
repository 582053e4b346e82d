package main

import (
	"testing"

	"github.com/spf13/pflag"
	"github.com/stretchr/testify/require"

	"sluice/config"
)

// TestPrometheusURLFlag: --prometheus-url wins over SLUICE_PROMETHEUS_URL, which is used
// without it.
func TestPrometheusURLFlag(t *testing.T) {
	t.Parallel()
	env := map[string]string{"SLUICE_PROMETHEUS_URL": "http://env:9090"}
	layered := func(args ...string) string {
		fs := pflag.NewFlagSet("server", pflag.ContinueOnError)
		defaults, pathStyle := config.Defaults(), false
		serverFlags(fs, &defaults, &pathStyle)
		require.NoError(t, fs.Parse(args))
		cfg, err := serverConfig(fs, func(k string) string { return env[k] })
		require.NoError(t, err)
		return cfg.PrometheusURL
	}
	require.Equal(t, "http://env:9090", layered())
	require.Equal(t, "http://flag:9090", layered("--prometheus-url", "http://flag:9090"))
}
