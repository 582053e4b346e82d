package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestCABundle(t *testing.T) {
	t.Parallel()
	trusted := httptest.NewTLSServer(http.NotFoundHandler())
	t.Cleanup(trusted.Close)
	get := func(t *testing.T, file, url string) error {
		t.Helper()
		cfg, err := caBundleConfig(file)
		require.NoError(t, err)
		hc := &http.Client{Transport: &http.Transport{TLSClientConfig: cfg}}
		resp, err := hc.Get(url)
		if err == nil {
			resp.Body.Close()
		}
		return err
	}
	bundle := filepath.Join(t.TempDir(), "ca.pem")
	require.NoError(t, os.WriteFile(bundle, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: trusted.Certificate().Raw}), 0o600))

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		require.NoError(t, get(t, bundle, trusted.URL))
	})
	t.Run("ErrUnknownAuthority", func(t *testing.T) {
		t.Parallel()
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		require.NoError(t, err)
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "another CA"},
			NotBefore: time.Now(), NotAfter: time.Now().Add(time.Hour), IsCA: true, BasicConstraintsValid: true}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
		require.NoError(t, err)
		another := filepath.Join(t.TempDir(), "another.pem")
		require.NoError(t, os.WriteFile(another, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600))
		require.ErrorContains(t, get(t, another, trusted.URL), "certificate signed by unknown authority")
	})
	t.Run("ErrWrongName", func(t *testing.T) {
		t.Parallel()
		cfg, err := caBundleConfig(bundle)
		require.NoError(t, err)
		cfg.ServerName = "elsewhere.test"
		_, err = (&http.Client{Transport: &http.Transport{TLSClientConfig: cfg}}).Get(trusted.URL)
		require.ErrorContains(t, err, "elsewhere.test")
	})
	t.Run("ErrNoCertificate", func(t *testing.T) {
		t.Parallel()
		empty := filepath.Join(t.TempDir(), "empty.pem")
		require.NoError(t, os.WriteFile(empty, []byte("not a certificate\n"), 0o600))
		_, err := caBundleConfig(empty)
		require.ErrorContains(t, err, "no PEM certificate")
	})
}
