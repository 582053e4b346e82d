package node

import (
	"crypto/tls"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"sluice/preauth"
)

// Bounds of every connection, whoever is on the other end (docs/security.md, "Before
// authentication"). There is no whole-request ReadTimeout: it would cut off git pushes of
// large packs and artifact uploads, which authenticate on their headers first; the bodies
// read before authentication (API calls, webhook deliveries) have Config.BodyTimeout each.
const (
	readHeaderTimeout = 10 * time.Second
	idleTimeout       = 2 * time.Minute
	maxHeaderBytes    = 64 << 10
)

// httpServer is the node's HTTP server over h, serving HTTPS when the configuration names a
// certificate.
func (n *Node) httpServer(h http.Handler) (*http.Server, error) {
	s := &http.Server{Handler: h, ReadHeaderTimeout: readHeaderTimeout, IdleTimeout: idleTimeout,
		MaxHeaderBytes: maxHeaderBytes, ErrorLog: slog.NewLogLogger(n.Log.Handler(), slog.LevelWarn)}
	if n.Config.TLSCert == "" {
		return s, nil
	}
	cert, err := tls.LoadX509KeyPair(n.Config.TLSCert, n.Config.TLSKey)
	if err != nil {
		return nil, fmt.Errorf("--tls-cert %s and --tls-key %s: %w", n.Config.TLSCert, n.Config.TLSKey, err)
	}
	s.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	return s, nil
}

// scheme is how clients reach this server.
func (n *Node) scheme() string {
	if n.Config.TLSCert != "" {
		return "https"
	}
	return "http"
}

// preauth makes the gate of requests not yet authenticated and the directory their bodies
// are spooled to (in the data directory: on disk, and out of actions' reach).
func (n *Node) preauth() (*preauth.Gate, string, error) {
	spool := filepath.Join(n.Config.DataDir, "spool")
	if err := os.MkdirAll(spool, 0o700); err != nil {
		return nil, "", fmt.Errorf("make the spool directory: %w", err)
	}
	c := n.Config
	gate := preauth.New(preauth.Limits{InFlight: c.MaxUnauthenticated, Waiting: preauth.WaitingPerSlot * c.MaxUnauthenticated,
		Wait: preauth.DefaultWait, Failures: c.AuthFailures, Window: c.AuthFailureWindow}, nil)
	return gate, spool, nil
}
