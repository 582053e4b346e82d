package console_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
)

func TestActionTypesPage(t *testing.T) {
	t.Parallel()

	t.Run("ListsCustomAndBuiltIn", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		_, _, err := f.core.CreateCustomActionType(f.ctx, rootCaller, sluice.ActionType{
			ID:       sluice.ActionTypeID{Category: sluice.CategoryBuild, Owner: sluice.OwnerCustom, Provider: "JenkinsBuild", Version: "1"},
			Settings: &sluice.ActionTypeSettings{EntityURLTemplate: "https://ci.example.com/job/{Config:Project}"},
			ConfigurationProperties: []sluice.ActionConfigurationProperty{
				{Name: "Project", Required: true, Key: true, Queryable: true, Description: "The Jenkins job"}},
			InputArtifactDetails:  sluice.ArtifactDetails{MinimumCount: 0, MaximumCount: 1},
			OutputArtifactDetails: sluice.ArtifactDetails{MinimumCount: 0, MaximumCount: 1},
		}, nil)
		require.NoError(t, err)
		resp, body := f.root().get("/action-types")
		require.Equal(t, http.StatusOK, resp.StatusCode)
		require.Contains(t, body, "JenkinsBuild")
		require.Contains(t, body, "https://ci.example.com/job/{Config:Project}")
		require.Contains(t, body, "<code>Project</code> <em>required</em> key queryable")
		require.Contains(t, body, "Built-in action types")
		require.Contains(t, body, "Manual")
	})

	t.Run("ErrAccessDenied", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		kid, sec := f.addUser("nobody", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"codepipeline:ListPipelines","Resource":"*"}]}`)
		resp, body := f.signIn(kid, sec).get("/action-types")
		require.Equal(t, http.StatusForbidden, resp.StatusCode)
		require.Contains(t, body, "codepipeline:ListActionTypes")
		require.NotContains(t, body, "Manual")
	})
}
