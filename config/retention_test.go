package config_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice/config"
)

func TestParseRetain(t *testing.T) {
	t.Parallel()
	day := 24 * time.Hour
	ok := map[string]config.Retain{
		"":          {},
		"90d":       {Age: 90 * day},
		"12w":       {Age: 84 * day},
		"36h":       {Age: 36 * time.Hour},
		"500":       {Count: 500},
		"90d,500":   {Age: 90 * day, Count: 500},
		" 500, 2w ": {Age: 14 * day, Count: 500},
	}
	for in, want := range ok {
		got, err := config.ParseRetain(in)
		require.NoError(t, err, in)
		require.Equal(t, want, got, in)
		back, err := config.ParseRetain(got.String())
		require.NoError(t, err, "String %q parses back", got.String())
		require.Equal(t, got, back)
	}
	bad := map[string]string{
		"90x":     `"90x" is neither an age nor a count; want an age such as 90d`,
		"0":       "a count keeps at least 1 execution",
		"30m":     "an age keeps at least 1h0m0s",
		"90d,30d": "two ages",
		"5,6":     "two counts",
		"90d;500": "neither an age nor a count",
	}
	for in, want := range bad {
		_, err := config.ParseRetain(in)
		require.ErrorContains(t, err, want, in)
		require.ErrorContains(t, err, `--retain "`+in+`"`, in)
	}
}

func TestRetainFromEnv(t *testing.T) {
	t.Parallel()
	env := map[string]string{"SLUICE_RETAIN": "30d,100"}
	s, err := config.Defaults().FromEnv(func(k string) string { return env[k] })
	require.NoError(t, err)
	require.Equal(t, config.Retain{Age: 30 * 24 * time.Hour, Count: 100}, s.Retain)
	env["SLUICE_RETAIN"] = "forever"
	_, err = config.Defaults().FromEnv(func(k string) string { return env[k] })
	require.ErrorContains(t, err, "SLUICE_RETAIN: --retain \"forever\"")
	require.False(t, config.Defaults().Retain.Enabled(), "the default keeps everything")
}
