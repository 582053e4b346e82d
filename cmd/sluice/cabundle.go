package main

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"os"
	"sync"
)

// useCABundle makes this process's HTTPS connections (the CLI's and the worker's calls of
// the server, its artifact and log endpoints) trust the certificates in file besides the
// system's, as the AWS CLI's --ca-bundle does: for a server whose certificate a private CA
// signed. "" changes nothing.
func useCABundle(file string) error {
	if file == "" {
		return nil
	}
	cfg, err := caBundleConfig(file)
	if err != nil {
		return err
	}
	t, ok := http.DefaultTransport.(*http.Transport)
	if !ok {
		return fmt.Errorf("--ca-bundle: the default HTTP transport is not an *http.Transport")
	}
	t.TLSClientConfig = cfg
	return nil
}

// caBundleConfig is the TLS client configuration that trusts the system's roots and file's
// certificates. Parsing them (the system's hundred or more, and a bundle that often repeats
// them) took 4 MB of allocations and kept 0.6 MB at every start, also of a server that never
// calls out over HTTPS; so they are parsed at the first handshake, and the chain is checked
// as crypto/tls checks it with RootCAs set (its VerifyConnection example).
func caBundleConfig(file string) (*tls.Config, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("--ca-bundle: %w", err)
	}
	if !holdsCertificate(data) {
		return nil, fmt.Errorf("--ca-bundle %s: no PEM certificate in it", file)
	}
	roots := sync.OnceValues(func() (*x509.CertPool, error) {
		pool, err := x509.SystemCertPool()
		if err != nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(data) {
			return nil, fmt.Errorf("--ca-bundle %s: no certificate in it parses", file)
		}
		return pool, nil
	})
	return &tls.Config{
		MinVersion:         tls.VersionTLS12,
		InsecureSkipVerify: true, // VerifyConnection checks the chain and the name instead
		VerifyConnection: func(cs tls.ConnectionState) error {
			pool, err := roots()
			if err != nil {
				return err
			}
			return verifyChain(cs, pool)
		},
	}, nil
}

// verifyChain checks the server's chain against roots and its name, as crypto/tls does.
func verifyChain(cs tls.ConnectionState, roots *x509.CertPool) error {
	if len(cs.PeerCertificates) == 0 {
		return errors.New("tls: the server sent no certificate")
	}
	opts := x509.VerifyOptions{DNSName: cs.ServerName, Roots: roots, Intermediates: x509.NewCertPool()}
	for _, c := range cs.PeerCertificates[1:] {
		opts.Intermediates.AddCert(c)
	}
	if _, err := cs.PeerCertificates[0].Verify(opts); err != nil {
		return &tls.CertificateVerificationError{UnverifiedCertificates: cs.PeerCertificates, Err: err}
	}
	return nil
}

// holdsCertificate reports whether data holds a PEM CERTIFICATE block, without parsing it.
func holdsCertificate(data []byte) bool {
	for {
		var b *pem.Block
		if b, data = pem.Decode(data); b == nil {
			return false
		}
		if b.Type == "CERTIFICATE" && len(b.Headers) == 0 {
			return true
		}
	}
}
