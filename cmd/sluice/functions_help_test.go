package main

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice/provider/lambda"
)

// TestFunctionsHelpDocumentsTheSignature: the help names the headers the invoker sends and
// says the signature covers the timestamp and the body, as lambda.Sign computes it.
func TestFunctionsHelpDocumentsTheSignature(t *testing.T) {
	t.Parallel()
	root := rootCmd()
	var out bytes.Buffer
	root.SetOut(&out)
	root.SetArgs([]string{"functions", "--help"})
	require.NoError(t, root.Execute())
	help := out.String()
	for _, h := range []string{lambda.SignatureHeader, lambda.TimestampHeader, lambda.DeliveryHeader} {
		require.Contains(t, help, h)
	}
	require.Contains(t, help, `HMAC(secret, TIMESTAMP + "." + BODY)`)
	// The shell recipe in the help gives the value Sign computes.
	require.Contains(t, help, `printf '%s.%s' "$TIMESTAMP" "$BODY" | openssl dgst -sha256 -hmac "$SECRET"`)
}
