package node_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice/node/nodetest"
)

// TestAuditTrailIAM checks that IAM calls reach the trail like every other call: who made a
// user and a key (never the key's secret), and a user's denied call with its error code.
func TestAuditTrailIAM(t *testing.T) {
	t.Parallel()
	requireAWSCLI(t)
	c := setupConformance(t)
	cli := iamCLI{t: t, url: c.URL}
	_, id, secret := policyUser(cli, "trail-user", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"codepipeline:GetPipeline","Resource":"*"}]}`)
	cli.fails(id, secret, []string{"AccessDeniedException"}, "codepipeline", "list-pipelines", "--region", "us-east-1")

	evs := byName(t, c.bundle, "CreateAccessKey")
	require.Len(t, evs, 1)
	e := evs[0]
	require.Equal(t, "iam.amazonaws.com", e.EventSource)
	require.Equal(t, nodetest.KeyID, e.AccessKeyId)
	require.Equal(t, "Root", e.Record.UserIdentity.Type)
	require.Contains(t, string(e.Record.RequestParameters), `"userName":"trail-user"`)
	require.Contains(t, string(e.Record.ResponseElements), id, "the new key's id is recorded")
	require.NotContains(t, string(e.Record.ResponseElements), secret, "the new key's secret is not")

	evs = byName(t, c.bundle, "ListPipelines")
	var denied []trailEvent
	for _, e := range evs {
		if e.AccessKeyId == id {
			denied = append(denied, e)
		}
	}
	require.Len(t, denied, 1)
	require.Equal(t, "trail-user", denied[0].Username)
	require.Equal(t, "AccessDeniedException", denied[0].Record.ErrorCode)
	require.True(t, strings.HasPrefix(denied[0].Record.ErrorMessage, "User: arn:aws:iam::"), denied[0].Record.ErrorMessage)
}
