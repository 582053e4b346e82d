package sigv4

import (
	"bufio"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestVerifyDocumentedExample checks the "get-vanilla" request of the AWS Signature Version 4
// test suite, whose signature AWS publishes, independently of the SDK's signer.
func TestVerifyDocumentedExample(t *testing.T) {
	t.Parallel()
	const wire = "GET / HTTP/1.1\r\n" +
		"Host: example.amazonaws.com\r\n" +
		"X-Amz-Date: 20150830T123600Z\r\n" +
		"Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, " +
		"SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31\r\n\r\n"
	r, err := http.ReadRequest(bufio.NewReader(strings.NewReader(wire)))
	require.NoError(t, err)
	v := &Verifier{
		Lookup: func(context.Context, string) (string, string, error) {
			return "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "example", nil
		},
		Clock: func() time.Time { return time.Date(2015, 8, 30, 12, 40, 0, 0, time.UTC) },
	}
	id, err := v.Authenticate(r, nil)
	require.NoError(t, err)
	require.Equal(t, "service", id.Service)
	require.Equal(t, "us-east-1", id.Region)
}
