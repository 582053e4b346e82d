package config_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"sluice/config"
)

func TestForwardEventsSettings(t *testing.T) {
	t.Parallel()
	valid := func(edit func(*config.Server)) error {
		s := config.Defaults()
		s.DataDir = t.TempDir()
		edit(&s)
		return s.Validate()
	}
	const bus = "arn:aws:events:eu-central-1:123456789012:event-bus/default"

	t.Run("FromEnv", func(t *testing.T) {
		t.Parallel()
		env := map[string]string{"SLUICE_FORWARD_EVENTS": bus, "SLUICE_FORWARD_EVENTS_ENDPOINT": "http://127.0.0.1:4566"}
		s, err := config.Defaults().FromEnv(func(k string) string { return env[k] })
		require.NoError(t, err)
		require.Equal(t, bus, s.ForwardEvents)
		require.Equal(t, "eu-central-1", s.ForwardRegion())
		require.NoError(t, valid(func(c *config.Server) { *c = s; c.DataDir = t.TempDir() }))
	})
	for _, tc := range []struct {
		name, want string
		edit       func(*config.Server)
	}{
		{"ErrNotABusARN", "--forward-events", func(s *config.Server) { s.ForwardEvents = "default" }},
		{"ErrRuleARN", "--forward-events", func(s *config.Server) { s.ForwardEvents = "arn:aws:events:eu-central-1:123456789012:rule/x" }},
		{"ErrEndpointAlone", "--forward-events-endpoint", func(s *config.Server) { s.ForwardEventsEndpoint = "http://127.0.0.1:4566" }},
		{"ErrEndpointNotURL", "--forward-events-endpoint", func(s *config.Server) {
			s.ForwardEvents, s.ForwardEventsEndpoint = bus, "127.0.0.1:4566"
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.ErrorContains(t, valid(tc.edit), tc.want)
		})
	}
}
