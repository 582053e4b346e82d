package node_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/stretchr/testify/require"

	"sluice/config"
	"sluice/node"
	"sluice/node/nodetest"
)

// selfSigned writes a certificate for 127.0.0.1, signed by itself, and its key as PEM files
// in dir, and returns their paths and a pool that trusts it.
func selfSigned(t *testing.T, dir string) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "sluice test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	keyDER, err := x509.MarshalECPrivateKey(key)
	require.NoError(t, err)
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	require.NoError(t, os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600))
	require.NoError(t, os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600))
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

// TestHTTPS serves the API over TLS with --tls-cert and --tls-key: the official SDK client
// given the CA calls it; without the CA, or over plain HTTP, nothing is served.
func TestHTTPS(t *testing.T) {
	t.Parallel()
	certFile, keyFile, pool := selfSigned(t, t.TempDir())
	b := setupWith(t, func(c *config.Server) { c.TLSCert, c.TLSKey = certFile, keyFile })
	require.True(t, strings.HasPrefix(b.URL, "https://127.0.0.1:"), b.URL)

	client := func(hc *http.Client) *codepipeline.Client {
		cfg := aws.Config{Region: "us-east-1", HTTPClient: hc,
			Credentials: credentials.NewStaticCredentialsProvider(nodetest.KeyID, nodetest.Secret, "")}
		return codepipeline.NewFromConfig(cfg, func(o *codepipeline.Options) { o.BaseEndpoint = aws.String(b.URL) })
	}
	trusting := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	out, err := client(trusting).ListPipelines(context.Background(), &codepipeline.ListPipelinesInput{})
	require.NoError(t, err)
	require.NotNil(t, out.Pipelines)

	_, err = client(&http.Client{}).ListPipelines(context.Background(), &codepipeline.ListPipelinesInput{})
	require.ErrorContains(t, err, "certificate", "the system does not trust the test's CA")

	resp, err := http.Post("http"+strings.TrimPrefix(b.URL, "https")+"/", "application/x-amz-json-1.1", strings.NewReader("{}"))
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusBadRequest, resp.StatusCode, "plain HTTP to the TLS port")
}

func TestHTTPSSettings(t *testing.T) {
	t.Parallel()
	cfg := config.Defaults()
	cfg.Listen, cfg.DataDir, cfg.TLSCert = "127.0.0.1:0", t.TempDir(), "cert.pem"
	_, err := node.New(context.Background(), cfg, node.Options{})
	require.ErrorContains(t, err, "--tls-key")
	cfg.TLSKey = filepath.Join(t.TempDir(), "missing.pem")
	_, err = node.New(context.Background(), cfg, node.Options{})
	require.ErrorContains(t, err, "--tls-cert")
}

// TestOversizedHeadersAreRefused: the server reads at most 64 KB of headers.
func TestOversizedHeadersAreRefused(t *testing.T) {
	t.Parallel()
	b := setup(t)
	req, err := http.NewRequest(http.MethodPost, b.URL+"/", strings.NewReader("{}"))
	require.NoError(t, err)
	req.Header.Set("X-Padding", strings.Repeat("p", 200<<10))
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusRequestHeaderFieldsTooLarge, resp.StatusCode)
}

// TestFailedAuthenticationIsThrottled: one gate counts an address's failures on every
// surface; past them the API answers ThrottlingException, git and webhooks 429, the
// artifact endpoint S3's SlowDown.
func TestFailedAuthenticationIsThrottled(t *testing.T) {
	t.Parallel()
	b := setupWith(t, func(c *config.Server) { c.AuthFailures = 3 })
	unsigned := func() *http.Response {
		req, err := http.NewRequest(http.MethodPost, b.URL+"/", strings.NewReader("{}"))
		require.NoError(t, err)
		req.Header.Set("X-Amz-Target", "CodePipeline_20150709.ListPipelines")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp
	}
	git := func() *http.Response {
		req, err := http.NewRequest(http.MethodGet, b.URL+"/v1/repos/"+nodetest.SrcRepo+"/info/refs?service=git-upload-pack", nil)
		require.NoError(t, err)
		req.SetBasicAuth(nodetest.KeyID, "not-the-secret")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp
	}
	artifact := func() *http.Response {
		req, err := http.NewRequest(http.MethodGet, b.URL+"/s3/sluice-artifacts/some-key", nil)
		require.NoError(t, err)
		req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIAJOB/20261207/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp
	}
	require.Equal(t, http.StatusBadRequest, unsigned().StatusCode)
	require.Equal(t, http.StatusUnauthorized, git().StatusCode)
	require.Equal(t, http.StatusForbidden, artifact().StatusCode)
	resp := unsigned()
	require.Equal(t, http.StatusTooManyRequests, resp.StatusCode)
	require.Equal(t, "ThrottlingException", resp.Header.Get("X-Amzn-ErrorType"))
	require.Equal(t, http.StatusTooManyRequests, git().StatusCode)
	require.Equal(t, http.StatusServiceUnavailable, artifact().StatusCode, "S3's SlowDown")
	hook, err := http.Post(b.URL+"/v1/webhooks/no-such-connection", "application/json", strings.NewReader("{}"))
	require.NoError(t, err)
	hook.Body.Close()
	require.Equal(t, http.StatusTooManyRequests, hook.StatusCode)
}
