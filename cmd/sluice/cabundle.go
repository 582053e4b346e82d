package main

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/http"
	"os"
)

// useCABundle makes this process's HTTPS connections (the CLI's and the worker's calls of
// the server, its artifact and log endpoints) trust the certificates in file besides the
// system's, as the AWS CLI's --ca-bundle does: for a server whose certificate a private CA
// signed. "" changes nothing.
func useCABundle(file string) error {
	if file == "" {
		return nil
	}
	pem, err := os.ReadFile(file)
	if err != nil {
		return fmt.Errorf("--ca-bundle: %w", err)
	}
	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pem) {
		return fmt.Errorf("--ca-bundle %s: no PEM certificate in it", file)
	}
	t, ok := http.DefaultTransport.(*http.Transport)
	if !ok {
		return fmt.Errorf("--ca-bundle: the default HTTP transport is not an *http.Transport")
	}
	t.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	return nil
}
