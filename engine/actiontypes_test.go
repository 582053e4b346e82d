package engine_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/engine"
)

// TestActionTypeURLs fills a custom type's URL templates the way the Jenkins plugin's
// action type uses them.
func TestActionTypeURLs(t *testing.T) {
	t.Parallel()
	jenkins := &sluice.ActionType{Settings: &sluice.ActionTypeSettings{
		EntityURLTemplate:    "https://jenkins.example.com/job/{Config:ProjectName}/",
		ExecutionURLTemplate: "https://jenkins.example.com/job/{Config:ProjectName}/{ExternalExecutionId}/",
	}}
	config := map[string]string{"ProjectName": "web", "Other": "x"}

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		require.Equal(t, "https://jenkins.example.com/job/web/", engine.EntityURL(jenkins, config))
		require.Equal(t, "https://jenkins.example.com/job/web/42/", engine.ExecutionURL(jenkins, config, "42"))
	})
	t.Run("MissingValueIsEmpty", func(t *testing.T) {
		t.Parallel()
		require.Equal(t, "https://jenkins.example.com/job//", engine.EntityURL(jenkins, nil))
	})
	t.Run("NoTemplate", func(t *testing.T) {
		t.Parallel()
		for _, at := range []*sluice.ActionType{nil, {}, {Settings: &sluice.ActionTypeSettings{}}} {
			require.Empty(t, engine.EntityURL(at, config))
			require.Empty(t, engine.ExecutionURL(at, config, "42"))
		}
	})
}
