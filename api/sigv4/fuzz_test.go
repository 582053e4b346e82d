package sigv4

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/smithy-go/encoding/httpbinding"
	"github.com/stretchr/testify/require"
)

// FuzzParseAuthorization: any Authorization header either parses into a scope, host among
// lower-case signed headers and a lower-case signature, which written back parses the same,
// or fails with one of the four AWS errors at HTTP 400.
func FuzzParseAuthorization(f *testing.F) {
	cred := "Credential=" + testKeyID + "/20250314/eu-west-1/codepipeline/aws4_request"
	for _, h := range []string{
		algorithm + " " + cred + ", SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=" + strings.Repeat("ab", 32),
		algorithm + " " + cred + ",SignedHeaders=host,Signature=0",
		algorithm + " " + cred + ", SignedHeaders=host;;x, Signature=AB",
		algorithm + " Credential=a/2025031/r/s/aws4_request, SignedHeaders=host, Signature=x",
		algorithm + " Credential=a/b/c, SignedHeaders=Host, Signature=x, Signature=y",
		algorithm + " a=b=c, Credential==, SignedHeaders=host",
		"AWS4-ECDSA-P256-SHA256 " + cred, "Basic dXNlcjpwYXNz", "", algorithm, algorithm + " ", algorithm + " ,,,",
	} {
		f.Add(h)
	}
	f.Fuzz(func(t *testing.T, header string) {
		auth, err := parseAuthorization(header)
		if err != nil {
			requireWireError(t, err)
			return
		}
		require.Contains(t, auth.signedHeaders, "host")
		for _, h := range auth.signedHeaders {
			require.NotEmpty(t, h)
			require.Equal(t, strings.ToLower(h), h)
		}
		require.Equal(t, strings.ToLower(auth.signature), auth.signature)
		require.True(t, isDate(auth.scope.date), auth.scope.date)
		again, err := parseAuthorization(algorithm + " Credential=" + auth.scope.accessKeyID + "/" + auth.scope.String() +
			", SignedHeaders=" + strings.Join(auth.signedHeaders, ";") + ", Signature=" + auth.signature)
		require.NoError(t, err)
		require.Equal(t, auth, again)
	})
}

// requireWireError: a refused request is an AuthError of the four names at HTTP 400, with a
// message, never another error (which would be answered as a 500).
func requireWireError(t *testing.T, err error) *AuthError {
	t.Helper()
	var authErr *AuthError
	require.True(t, errors.As(err, &authErr), "not an AuthError: %v", err)
	require.Contains(t, []string{NameMissingToken, NameIncomplete, NameUnrecognized, NameInvalidSignature}, authErr.Name)
	require.Equal(t, http.StatusBadRequest, authErr.Status)
	require.NotEmpty(t, authErr.Message)
	return authErr
}

// FuzzVerify builds a request from arbitrary method, URL, header and body, signs it with the
// AWS SDK's signer (the oracle of canonical request building) and sends it through the wire
// format: the signature must verify, under both the JSON services' and S3's path rules (the
// latter for paths encoded as the S3 client encodes keys), and
// must stop verifying once the body or a signed header changes; ReadVerified, which reads
// the body only after the headers passed, agrees. A request the
// SDK or Go's HTTP stack refuses to build is skipped.
func FuzzVerify(f *testing.F) {
	for _, s := range []struct{ method, target, name, value, body string }{
		{"POST", "/", "X-Amz-Target", "CodePipeline_20150709.ListPipelines", testBody},
		{"GET", "/v1/repos/my%20repo/caf%C3%A9?b=2&a=1&a=0&sp=x%20y&plus=a%2Bb&empty=", "X-Custom", "  two   inner  spaces ", ""},
		{"PUT", "/a%2Fb/c:d@e/~f!g*h?z=%E2%9C%93&A-b=1&A=2", "Content-Type", "application/octet-stream", "\x00\xff"},
		{"GET", "/x?list-type=2&prefix=&key=a/b/c", "Range", "bytes=0-9", ""},
		{"DELETE", "/bucket/key%2B%20x?versionId=3&uploads", "X-Amz-Meta-A", "b\tc", "x"},
		{"POST", "/?Action=GetCallerIdentity&Version=2011-06-15", "Content-Type", "application/x-www-form-urlencoded", "Action=ListUsers"},
	} {
		f.Add(s.method, s.target, s.name, s.value, []byte(s.body), false)
		f.Add(s.method, s.target, s.name, s.value, []byte(s.body), true)
	}
	b := setup(f)
	f.Fuzz(func(t *testing.T, method, target, name, value string, body []byte, s3 bool) {
		service := "codepipeline"
		if s3 {
			service = "s3"
		}
		r := signedRequest(method, target, name, value, body, service, b)
		if r == nil {
			t.Skip("not a request Go's client and server exchange")
		}
		id, err := b.verifier.Authenticate(r, body)
		require.NoError(t, err, "%s %q %s: %q", method, target, name, value)
		require.Equal(t, testPrincipal, id.Principal)

		tampered := append([]byte("x"), body...)
		_, err = b.verifier.Authenticate(r, tampered)
		require.Equal(t, NameInvalidSignature, requireWireError(t, err).Name)

		// The API's path: headers first, then the body hashed as it streams.
		r.Body = io.NopCloser(bytes.NewReader(body))
		read, id, err := b.verifier.ReadVerified(r, 1<<20)
		require.NoError(t, err)
		require.Equal(t, string(body), string(read))
		require.Equal(t, testPrincipal, id.Principal)
		r.Body = io.NopCloser(bytes.NewReader(tampered))
		_, _, err = b.verifier.ReadVerified(r, 1<<20)
		require.Equal(t, NameInvalidSignature, requireWireError(t, err).Name)

		r.Header.Set("X-Amz-Date", b.now.Add(1e9).Format(amzDate)) // a signed header, one second later
		_, err = b.verifier.Authenticate(r, body)
		require.Equal(t, NameInvalidSignature, requireWireError(t, err).Name)
	})
}

// signedRequest is the request as Go's server receives it after the SDK signed it, or nil.
func signedRequest(method, target, name, value string, body []byte, service string, b *testBundle) *http.Request {
	req, err := http.NewRequest(method, "http://sluice.test"+target, bytes.NewReader(body))
	if err != nil || !strings.HasPrefix(target, "/") || !isToken(name) || !isFieldValue(value) {
		return nil // Go's client refuses such a request before it is sent
	}
	if service == "s3" {
		// The S3 client sends every key byte but the unreserved ones and '/' encoded.
		req.URL.RawPath = httpbinding.EscapePath(req.URL.Path, false)
	}
	req.Header.Set(name, value)
	signer := v4.NewSigner(func(o *v4.SignerOptions) { o.DisableURIPathEscaping = service == "s3" }) // as the S3 client signs
	if err := signer.SignHTTP(context.Background(), b.creds, req, sha256Hex(body), service, "eu-west-1", b.now); err != nil {
		return nil
	}
	var wire bytes.Buffer
	if err := req.Write(&wire); err != nil {
		return nil
	}
	r, err := http.ReadRequest(bufio.NewReader(&wire))
	if err != nil || r.Method != method {
		return nil
	}
	return r
}

// isToken reports whether s is a valid header name (RFC 9110 token).
func isToken(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
			return false
		}
	}
	return s != ""
}

// isFieldValue reports whether s may be sent as a header value: no control characters but
// tab (Go's client refuses the others; its Write turns a newline into a space).
func isFieldValue(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < ' ' && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}
