package sigv4

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestVerifyIncomplete(t *testing.T) {
	t.Parallel()

	cred := "Credential=" + testKeyID + "/20250314/eu-west-1/codepipeline/aws4_request"
	sig := "Signature=" + strings.Repeat("ab", 32)
	for name, tc := range map[string]struct{ authorization, amzDate string }{
		"ErrOtherScheme":          {authorization: "Basic dXNlcjpwYXNz"},
		"ErrSigV4a":               {authorization: "AWS4-ECDSA-P256-SHA256 " + cred + ", SignedHeaders=host, " + sig},
		"ErrNoCredential":         {authorization: algorithm + " SignedHeaders=host, " + sig},
		"ErrNoSignedHeaders":      {authorization: algorithm + " " + cred + ", " + sig},
		"ErrNoSignature":          {authorization: algorithm + " " + cred + ", SignedHeaders=host"},
		"ErrNotKeyValue":          {authorization: algorithm + " " + cred + ", SignedHeaders, " + sig},
		"ErrRepeated":             {authorization: algorithm + " " + cred + ", " + cred + ", SignedHeaders=host, " + sig},
		"ErrShortCredential":      {authorization: algorithm + " Credential=" + testKeyID + "/20250314/eu-west-1, SignedHeaders=host, " + sig},
		"ErrCredentialTerminator": {authorization: algorithm + " Credential=" + testKeyID + "/20250314/eu-west-1/codepipeline/aws5_request, SignedHeaders=host, " + sig},
		"ErrCredentialDate":       {authorization: algorithm + " Credential=" + testKeyID + "/2025-3-14/eu-west-1/codepipeline/aws4_request, SignedHeaders=host, " + sig},
		"ErrHostNotSigned":        {authorization: algorithm + " " + cred + ", SignedHeaders=x-amz-date, " + sig},
		"ErrUpperCaseHeader":      {authorization: algorithm + " " + cred + ", SignedHeaders=Host, " + sig},
		"ErrNoDate":               {authorization: algorithm + " " + cred + ", SignedHeaders=host, " + sig, amzDate: "-"},
		"ErrBadDate":              {authorization: algorithm + " " + cred + ", SignedHeaders=host, " + sig, amzDate: "2025-03-14T15:09:26Z"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			r, err := http.NewRequest("POST", "http://sluice.test/", nil)
			require.NoError(t, err)
			r.Header.Set("Authorization", tc.authorization)
			switch tc.amzDate {
			case "":
				r.Header.Set("X-Amz-Date", "20250314T150926Z")
			case "-":
			default:
				r.Header.Set("X-Amz-Date", tc.amzDate)
			}
			_, err = b.verifier.Verify(r, nil)
			requireAuthError(t, err, NameIncomplete)
		})
	}
}

func TestVerifyScopeDateMismatch(t *testing.T) {
	t.Parallel()
	b := setup(t)
	r, err := http.NewRequest("POST", "http://sluice.test/", nil)
	require.NoError(t, err)
	r.Header.Set("X-Amz-Date", "20250314T150926Z")
	r.Header.Set("Authorization", algorithm+" Credential="+testKeyID+"/20250313/eu-west-1/codepipeline/aws4_request, "+
		"SignedHeaders=host;x-amz-date, Signature="+strings.Repeat("ab", 32))
	_, err = b.verifier.Verify(r, nil)
	authErr := requireAuthError(t, err, NameInvalidSignature)
	require.Contains(t, authErr.Message, "Date in Credential scope does not match")
}
