package delivery_test

import (
	"bufio"
	"encoding/pem"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/delivery"
	"sluice/delivery/deliverytest"
	"sluice/netguard"
)

// received is one request a receiver got.
type received struct {
	header http.Header
	body   []byte
	user   string
}

// receiver is an HTTP endpoint that answers status and hands every request to its channel.
func receiver(t *testing.T, status int, answer string) (*httptest.Server, <-chan received) {
	t.Helper()
	got := make(chan received, 16)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		user, _, _ := r.BasicAuth()
		got <- received{header: r.Header.Clone(), body: b, user: user}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, answer)
	}))
	t.Cleanup(srv.Close)
	return srv, got
}

// certServer serves the signer's certificate over https, as the server does at its public URL.
func certServer(t *testing.T, s *delivery.Signer) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.Handle("GET "+s.CertPath(), s)
	srv := httptest.NewTLSServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// verify is a Go SNS validator: it fetches SigningCertURL over https (trusting client's
// roots) and checks the signature of the keys SNS signs, by SignatureVersion.
func verify(t *testing.T, client *http.Client, m map[string]string) {
	t.Helper()
	u, err := url.Parse(m["SigningCertURL"])
	require.NoError(t, err)
	require.Equal(t, "https", u.Scheme)
	require.Regexp(t, `^/SimpleNotificationService-[0-9a-f]{32}\.pem$`, u.Path)
	v := &deliverytest.SNSVerifier{Client: client}
	require.NoError(t, v.Verify(m), "signature of %q", deliverytest.StringToSign(m))
}

func notification(endpoint string) *sluice.Delivery {
	return &sluice.Delivery{ID: "5f1c0a8e-1f6b-4d7e-9a51-0d5b1e0a7c11", Target: "arn:aws:sns:us-east-1:000000000000:alerts:3c5a3a2e-0000-4000-8000-000000000001",
		TopicARN: "arn:aws:sns:us-east-1:000000000000:alerts", Protocol: "http", Endpoint: endpoint, Type: delivery.TypeNotification,
		Subject: "Pipeline web failed", Message: "web <FAILED> & stopped\nline 2 \"quoted\" é",
		Attributes: map[string]sluice.MessageAttribute{"pipeline": {DataType: "String", StringValue: "web"}},
		Created:    time.Date(2026, 12, 7, 12, 0, 0, 123456789, time.UTC), SignatureVersion: "1"}
}

type snsSetup struct {
	signer *delivery.Signer
	certs  *httptest.Server
	sender *delivery.SNSHTTP
}

func setupSNS(t *testing.T) *snsSetup {
	t.Helper()
	signer, err := delivery.LoadSigner(t.TempDir())
	require.NoError(t, err)
	certs := certServer(t, signer)
	return &snsSetup{signer: signer, certs: certs, sender: &delivery.SNSHTTP{
		Client: delivery.NewHTTPClient(netguard.Guard{AllowLocal: true}, nil), Signer: signer,
		URLs: delivery.URLs{Base: func() string { return certs.URL }}}}
}

func decode(t *testing.T, b []byte) map[string]string {
	t.Helper()
	m, err := deliverytest.Fields(b)
	require.NoError(t, err)
	return m
}

func TestSNSHTTP(t *testing.T) {
	t.Parallel()
	t.Run("NotificationSignedV1AndV2", func(t *testing.T) {
		t.Parallel()
		s := setupSNS(t)
		srv, got := receiver(t, 200, "")
		for _, v := range []string{"1", "2"} {
			d := notification(srv.URL + "/hook?x=1")
			d.SignatureVersion = v
			r := s.sender.Send(t.Context(), d)
			require.NoError(t, r.Err)
			req := <-got
			require.Equal(t, "Notification", req.header.Get("x-amz-sns-message-type"))
			require.Equal(t, d.ID, req.header.Get("x-amz-sns-message-id"))
			require.Equal(t, d.TopicARN, req.header.Get("x-amz-sns-topic-arn"))
			require.Equal(t, d.Target, req.header.Get("x-amz-sns-subscription-arn"))
			require.Equal(t, "text/plain; charset=UTF-8", req.header.Get("Content-Type"))
			require.Equal(t, "Amazon Simple Notification Service Agent", req.header.Get("User-Agent"))
			m := decode(t, req.body)
			require.Equal(t, "2026-12-07T12:00:00.123Z", m["Timestamp"])
			require.Equal(t, d.Message, m["Message"])
			require.Equal(t, v, m["SignatureVersion"])
			require.Equal(t, s.certs.URL+"/?Action=Unsubscribe&SubscriptionArn="+url.QueryEscape(d.Target), m["UnsubscribeURL"])
			require.NotContains(t, m, "Token")
			require.Contains(t, string(req.body), `"MessageAttributes":{"pipeline":{"Type":"String","Value":"web"}}`)
			verify(t, s.certs.Client(), m)
		}
	})

	t.Run("ConfirmationCarriesTokenAndSubscribeURL", func(t *testing.T) {
		t.Parallel()
		s := setupSNS(t)
		srv, got := receiver(t, 200, "")
		d := notification(srv.URL)
		d.Type, d.Token, d.Message, d.Subject = delivery.TypeSubscriptionConfirmation, "tok-123", "", ""
		require.NoError(t, s.sender.Send(t.Context(), d).Err)
		req := <-got
		require.Empty(t, req.header.Get("x-amz-sns-subscription-arn"))
		m := decode(t, req.body)
		require.Equal(t, "tok-123", m["Token"])
		require.Equal(t, s.certs.URL+"/?Action=ConfirmSubscription&TopicArn="+url.QueryEscape(d.TopicARN)+"&Token=tok-123", m["SubscribeURL"])
		require.Equal(t, "You have chosen to subscribe to the topic "+d.TopicARN+
			".\nTo confirm the subscription, visit the SubscribeURL included in this message.", m["Message"])
		require.NotContains(t, m, "UnsubscribeURL")
		verify(t, s.certs.Client(), m)
	})

	t.Run("RawIsTheMessageAlone", func(t *testing.T) {
		t.Parallel()
		s := setupSNS(t)
		srv, got := receiver(t, 204, "")
		u, _ := url.Parse(srv.URL)
		u.User = url.UserPassword("alice", "s3cret")
		d := notification(u.String())
		d.Raw = true
		require.NoError(t, s.sender.Send(t.Context(), d).Err)
		req := <-got
		require.Equal(t, d.Message, string(req.body))
		require.Equal(t, "true", req.header.Get("x-amz-sns-rawdelivery"))
		require.Equal(t, "alice", req.user, "userinfo becomes basic auth")
	})

	t.Run("StatusesClassified", func(t *testing.T) {
		t.Parallel()
		s := setupSNS(t)
		for _, c := range []struct {
			status    int
			permanent bool
		}{{500, false}, {503, false}, {429, false}, {404, true}, {400, true}, {301, true}} {
			srv, _ := receiver(t, c.status, "nope")
			r := s.sender.Send(t.Context(), notification(srv.URL))
			require.Error(t, r.Err, "%d", c.status)
			require.Equal(t, c.status, r.StatusCode)
			require.Equal(t, c.permanent, r.Permanent, "%d", c.status)
		}
		srv, _ := receiver(t, 200, "")
		srv.Close()
		r := s.sender.Send(t.Context(), notification(srv.URL))
		require.Error(t, r.Err)
		require.False(t, r.Permanent, "a connection refused is retried")
	})

	t.Run("GuardRefusesLoopback", func(t *testing.T) {
		t.Parallel()
		s := setupSNS(t)
		s.sender.Client = delivery.NewHTTPClient(netguard.Guard{}, nil)
		srv, got := receiver(t, 200, "")
		r := s.sender.Send(t.Context(), notification(srv.URL))
		require.ErrorContains(t, r.Err, "local destinations are not allowed")
		require.True(t, r.Permanent)
		require.Empty(t, got)
	})

	t.Run("SignerKeptAcrossRestarts", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		a, err := delivery.LoadSigner(dir)
		require.NoError(t, err)
		b, err := delivery.LoadSigner(dir)
		require.NoError(t, err)
		require.Equal(t, a.CertPath(), b.CertPath())
		fi, err := os.Stat(filepath.Join(dir, "sns-signing-key.pem"))
		require.NoError(t, err)
		require.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	})
}

// TestSNSValidatorPackage checks Sluice's messages with the npm package sns-validator (the
// JavaScript validator AWS's docs point to), given Sluice's host as its pattern. It needs
// node and `npm ci` in testdata/snsvalidator; SLUICE_REQUIRE_SNSVALIDATOR makes their
// absence a failure.
func TestSNSValidatorPackage(t *testing.T) {
	t.Parallel()
	validator := deliverytest.NeedSNSValidator(t)
	s := setupSNS(t)
	srv, got := receiver(t, 200, "")
	var ds []*sluice.Delivery
	for i, v := range []string{"1", "2", "1"} {
		d := notification(srv.URL)
		d.ID, d.SignatureVersion = "msg-"+v+"-"+string(rune('a'+i)), v
		if i == 2 {
			d.Type, d.Token, d.Message, d.Subject = delivery.TypeSubscriptionConfirmation, "tok", "", ""
		}
		ds = append(ds, d)
	}
	noSubject := notification(srv.URL)
	noSubject.ID, noSubject.Subject = "msg-no-subject", ""
	ds = append(ds, noSubject)
	var input strings.Builder
	for _, d := range ds {
		require.NoError(t, s.sender.Send(t.Context(), d).Err)
		input.Write((<-got).body)
		input.WriteString("\n")
	}
	// The validator fetches the certificate over https from the test server: trust its CA.
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	require.NoError(t, os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.certs.Certificate().Raw}), 0o644))
	host := strings.TrimPrefix(s.certs.URL, "https://")
	out := validator.Validate(t, host, caFile, input.String())
	var lines []string
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	require.Equal(t, []string{"ok msg-1-a", "ok msg-2-b", "ok msg-1-c", "ok msg-no-subject"}, lines)

	// And it refuses a message whose text was changed.
	tampered := strings.Replace(strings.Split(input.String(), "\n")[0], "stopped", "started", 1)
	require.Equal(t, "error msg-1-a The message signature is invalid.\n", validator.Validate(t, host, caFile, tampered+"\n"))
}
