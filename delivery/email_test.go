package delivery_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"mime"
	"mime/multipart"
	"net"
	"net/mail"
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
)

// parts reads a multipart/alternative body into content type -> decoded text.
func parts(t *testing.T, m *mail.Message) map[string]string {
	t.Helper()
	mt, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	require.NoError(t, err)
	require.Equal(t, "multipart/alternative", mt)
	r := multipart.NewReader(m.Body, params["boundary"])
	out := map[string]string{}
	for {
		p, err := r.NextPart()
		if err == io.EOF {
			return out
		}
		require.NoError(t, err)
		b, err := io.ReadAll(p) // NextPart decodes quoted-printable
		require.NoError(t, err)
		ct, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		out[ct] = string(b)
	}
}

func emailSender(t *testing.T, rawURL string, roots *x509.CertPool) *delivery.Email {
	t.Helper()
	u, err := delivery.ParseSMTPURL(rawURL)
	require.NoError(t, err)
	signer, err := delivery.LoadSigner(t.TempDir())
	require.NoError(t, err)
	return &delivery.Email{SMTP: delivery.SMTP{URL: u, From: "Sluice Notifications <sluice@example.com>", Roots: roots},
		URLs: delivery.URLs{Base: func() string { return "https://sluice.example.com" }}, Signer: signer}
}

func mailDelivery(protocol string) *sluice.Delivery {
	d := notification("ops@example.com")
	d.Protocol = protocol
	return d
}

func TestEmail(t *testing.T) {
	t.Parallel()
	t.Run("PlainAndHTML", func(t *testing.T) {
		t.Parallel()
		smtpd := deliverytest.StartSMTPD(t)
		e := emailSender(t, "smtp://"+smtpd.Addr, nil)
		d := mailDelivery("email")
		r := e.Send(t.Context(), d)
		require.NoError(t, r.Err)
		require.Equal(t, 250, r.StatusCode)
		ms := smtpd.Mails(t)
		require.Len(t, ms, 1)
		m := ms[0]
		require.Equal(t, "Pipeline web failed", decodeHeader(t, m.Header.Get("Subject")))
		require.Equal(t, `"Sluice Notifications" <sluice@example.com>`, m.Header.Get("From"))
		require.Equal(t, "<ops@example.com>", m.Header.Get("To"))
		p := parts(t, m)
		require.True(t, strings.HasPrefix(p["text/plain"], d.Message+"\n\n--\n"), p["text/plain"])
		unsub := "https://sluice.example.com/unsubscribe.html?SubscriptionArn=" + url.QueryEscape(d.Target) + "&Endpoint=ops%40example.com"
		require.Contains(t, p["text/plain"], unsub)
		require.Contains(t, p["text/html"], "web &lt;FAILED&gt; &amp; stopped")
		require.Contains(t, p["text/html"], `<a href="`+strings.ReplaceAll(unsub, "&", "&amp;")+`">`)
	})

	t.Run("ConfirmationLinksThePage", func(t *testing.T) {
		t.Parallel()
		smtpd := deliverytest.StartSMTPD(t)
		e := emailSender(t, "smtp://"+smtpd.Addr, nil)
		d := mailDelivery("email")
		d.Type, d.Token, d.Subject = delivery.TypeSubscriptionConfirmation, "tok-9", ""
		require.NoError(t, e.Send(t.Context(), d).Err)
		m := smtpd.Mails(t)[0]
		require.Equal(t, "AWS Notification - Subscription Confirmation", decodeHeader(t, m.Header.Get("Subject")))
		require.Contains(t, parts(t, m)["text/plain"], "https://sluice.example.com/confirmation.html?TopicArn="+
			url.QueryEscape(d.TopicARN)+"&Token=tok-9&Endpoint=ops%40example.com")
	})

	t.Run("EmailJSONIsTheSignedEnvelope", func(t *testing.T) {
		t.Parallel()
		smtpd := deliverytest.StartSMTPD(t)
		e := emailSender(t, "smtp://"+smtpd.Addr, nil)
		d := mailDelivery("email-json")
		require.NoError(t, e.Send(t.Context(), d).Err)
		m := smtpd.Mails(t)[0]
		b, err := io.ReadAll(m.Body)
		require.NoError(t, err)
		require.Contains(t, string(b), `"Type":"Notification"`)
		require.Contains(t, string(b), `"Signature":"`)
	})

	t.Run("STARTTLS", func(t *testing.T) {
		t.Parallel()
		certFile, keyFile, roots := selfSigned(t)
		smtpd := deliverytest.StartSMTPD(t, "--tlscert", certFile, "--tlskey", keyFile)
		require.NoError(t, emailSender(t, "smtp://"+smtpd.Addr, roots).Send(t.Context(), mailDelivery("email")).Err)
		require.Len(t, smtpd.Mails(t), 1)
		r := emailSender(t, "smtp://"+smtpd.Addr, nil).Send(t.Context(), mailDelivery("email"))
		require.ErrorContains(t, r.Err, "certificate", "a server whose certificate is not trusted gets nothing")
	})

	t.Run("ImplicitTLS", func(t *testing.T) {
		t.Parallel()
		certFile, keyFile, roots := selfSigned(t)
		smtpd := deliverytest.StartSMTPD(t, "--smtpscert", certFile, "--smtpskey", keyFile)
		require.NoError(t, emailSender(t, "smtps://"+smtpd.Addr, roots).Send(t.Context(), mailDelivery("email")).Err)
		require.Len(t, smtpd.Mails(t), 1)
	})

	t.Run("ServerDownIsRetried", func(t *testing.T) {
		t.Parallel()
		r := emailSender(t, "smtp://"+deliverytest.FreeAddr(t), nil).Send(t.Context(), mailDelivery("email"))
		require.Error(t, r.Err)
		require.False(t, r.Permanent)
	})

	t.Run("BadAddressIsPermanent", func(t *testing.T) {
		t.Parallel()
		d := mailDelivery("email")
		d.Endpoint = "not an address"
		r := emailSender(t, "smtp://127.0.0.1:1", nil).Send(t.Context(), d)
		require.True(t, r.Permanent)
	})
}

func decodeHeader(t *testing.T, v string) string {
	t.Helper()
	s, err := new(mime.WordDecoder).DecodeHeader(v)
	require.NoError(t, err)
	return s
}

// selfSigned writes a certificate for 127.0.0.1 and its key, and returns a pool trusting it.
func selfSigned(t *testing.T) (string, string, *x509.CertPool) {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true, IsCA: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	dir := t.TempDir()
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	require.NoError(t, os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600))
	require.NoError(t, os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}), 0o600))
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}
