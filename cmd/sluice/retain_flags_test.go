package main

import (
	"testing"
	"time"

	"github.com/spf13/pflag"
	"github.com/stretchr/testify/require"

	"sluice/config"
)

// TestRetainFlag: --retain wins over SLUICE_RETAIN, survives the layering, and a bad value
// is refused with what to write.
func TestRetainFlag(t *testing.T) {
	t.Parallel()
	parse := func(env map[string]string, args ...string) (config.Server, error) {
		fs := pflag.NewFlagSet("server", pflag.ContinueOnError)
		defaults, pathStyle := config.Defaults(), false
		serverFlags(fs, &defaults, &pathStyle)
		if err := fs.Parse(args); err != nil {
			return config.Server{}, err
		}
		return serverConfig(fs, func(k string) string { return env[k] })
	}
	cfg, err := parse(map[string]string{"SLUICE_RETAIN": "500"}, "--retain", "90d,200")
	require.NoError(t, err)
	require.Equal(t, config.Retain{Age: 90 * 24 * time.Hour, Count: 200}, cfg.Retain)
	cfg, err = parse(map[string]string{"SLUICE_RETAIN": "500"})
	require.NoError(t, err)
	require.Equal(t, config.Retain{Count: 500}, cfg.Retain)
	_, err = parse(nil, "--retain", "3 months")
	require.ErrorContains(t, err, "want an age such as 90d, 12w or 36h, a count such as 500, or both as 90d,500")
}
