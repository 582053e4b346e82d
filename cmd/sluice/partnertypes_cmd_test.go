package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/node"
)

// TestPartnerTypesCommand registers a partner type with `sluice partner-types register`
// from standard input: it prints the client, whose token the server keeps only hashed,
// and registering again mints another client.
func TestPartnerTypesCommand(t *testing.T) {
	t.Parallel()
	b := setup(t)
	dir := t.TempDir()
	require.NoError(t, node.WriteKey(filepath.Join(dir, "root-access-key.json"), sluice.AccessKey{ID: testKeyID, Secret: testSecret}))
	register := func(stdin string) (string, error) {
		var stdout, stderr bytes.Buffer
		cmd := rootCmd()
		cmd.SetArgs([]string{"partner-types", "register", "--file", "-", "--endpoint-url", b.URL, "--data-dir", dir})
		cmd.SetIn(strings.NewReader(stdin))
		cmd.SetOut(&stdout)
		cmd.SetErr(&stderr)
		err := cmd.ExecuteContext(context.Background())
		return stdout.String(), err
	}
	decl := `{"category":"Test","provider":"Probe","version":"1",
"configurationProperties":[{"name":"Project","required":true,"key":true,"secret":false}],
"inputArtifactDetails":{"minimumCount":0,"maximumCount":1},"outputArtifactDetails":{"minimumCount":0,"maximumCount":0}}`
	out, err := register(decl)
	require.NoError(t, err)
	var first struct{ ClientID, ClientToken string }
	require.NoError(t, json.Unmarshal([]byte(out), &first), out)
	require.Len(t, first.ClientToken, 64)
	id := sluice.ActionTypeID{Category: "Test", Owner: "ThirdParty", Provider: "Probe", Version: "1"}
	kept, err := b.Node.DB.GetThirdPartyClient(context.Background(), id)
	require.NoError(t, err)
	require.Equal(t, first.ClientID, kept.ID)
	require.NotContains(t, kept.TokenHash, first.ClientToken)

	out, err = register(decl)
	require.NoError(t, err)
	var second struct{ ClientID, ClientToken string }
	require.NoError(t, json.Unmarshal([]byte(out), &second), out)
	require.NotEqual(t, first.ClientID, second.ClientID)
	require.NotEqual(t, first.ClientToken, second.ClientToken)

	_, err = register(strings.Replace(decl, `"provider":"Probe"`, `"provider":"GitHub","category":"Source"`, 1))
	require.ErrorContains(t, err, "built in")
	_, err = register("not json")
	require.ErrorContains(t, err, "--file")
}
