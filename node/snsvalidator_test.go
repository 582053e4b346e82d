package node_test

import (
	"crypto/tls"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/config"
	"sluice/delivery/deliverytest"
	"sluice/node/nodetest"
	"sluice/service"
)

// TestSNSValidatorOverHTTPS: with the server on HTTPS, the npm package sns-validator, given
// the server's host as its pattern, accepts a subscription's confirmation and notifications
// (SignatureVersion 1 and 2) as the server sends them, fetching the certificate from
// SigningCertURL. SLUICE_REQUIRE_SNSVALIDATOR makes node's or the package's absence a failure.
func TestSNSValidatorOverHTTPS(t *testing.T) {
	t.Parallel()
	validator := deliverytest.NeedSNSValidator(t)
	certFile, keyFile, pool := selfSigned(t, t.TempDir())
	b := setupWith(t, func(c *config.Server) {
		c.TLSCert, c.TLSKey, c.AllowLocalDestinations = certFile, keyFile, true
	})
	require.True(t, strings.HasPrefix(b.URL, "https://"))
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}}

	bodies := make(chan []byte, 10)
	srv := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		bodies <- body
	}))
	t.Cleanup(srv.Close)

	ctx, core := t.Context(), b.Node.API.Service
	root := sluice.Caller{Principal: "arn:aws:iam::000000000000:root", AccessKeyID: nodetest.KeyID}
	var lines []string
	for _, version := range []string{"1", "2"} {
		topic, err := core.CreateTopic(ctx, root, "signed-v"+version, map[string]string{"SignatureVersion": version}, nil)
		require.NoError(t, err)
		_, err = core.Subscribe(ctx, root, service.SubscribeParams{TopicARN: topic, Protocol: "http", Endpoint: srv.URL + "/" + version})
		require.NoError(t, err)
		confirmation := recv(t, bodies, "the confirmation")
		lines = append(lines, string(confirmation))
		m, err := deliverytest.Fields(confirmation)
		require.NoError(t, err)
		resp, err := client.Get(m["SubscribeURL"])
		require.NoError(t, err)
		require.NoError(t, resp.Body.Close())
		require.Equal(t, http.StatusOK, resp.StatusCode)
		_, err = core.Publish(ctx, root, sluice.PublishInput{TopicARN: topic, Subject: "Deploy <web> & more",
			Message: "web \"FAILED\" at Build\nsee https://example.com/?a=1&b=2 é"})
		require.NoError(t, err)
		lines = append(lines, string(recv(t, bodies, "the notification")))
	}

	host := strings.TrimPrefix(b.URL, "https://")
	out := validator.Validate(t, host, certFile, strings.Join(lines, "\n")+"\n")
	results := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, results, 4, out)
	for _, r := range results {
		require.True(t, strings.HasPrefix(r, "ok "), out)
	}
}
