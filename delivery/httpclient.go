package delivery

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"sluice/netguard"
)

// NewHTTPClient is the client every HTTP sender uses: connections pass the guard (after
// DNS), no proxy (a proxy would connect on the guard's behalf), redirects not followed
// (SNS treats them as failures), and roots, when given, trusted for https besides the
// system's.
func NewHTTPClient(g netguard.Guard, roots *x509.CertPool) *http.Client {
	t := &http.Transport{
		DialContext:           g.Dialer(&net.Dialer{Timeout: 10 * time.Second}).DialContext,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: 15 * time.Second,
		MaxIdleConnsPerHost:   4,
		IdleConnTimeout:       90 * time.Second,
		ForceAttemptHTTP2:     true,
	}
	if roots != nil {
		t.TLSClientConfig = &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}
	}
	return &http.Client{Transport: t, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// post sends req and classifies the answer: 2xx delivered; 429, 5xx and 1xx (and
// failures to connect) retried; other statuses, and a refused destination, permanent. It
// returns the start of the answer's body too.
func post(c *http.Client, req *http.Request) (Result, string) {
	resp, err := c.Do(req)
	if err != nil {
		return Result{Err: errors.New(connError(err)), Permanent: errors.Is(err, netguard.ErrLocal)}, ""
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	text := strings.TrimSpace(string(b))
	code := resp.StatusCode
	if code >= 200 && code < 300 {
		return Result{StatusCode: code}, text
	}
	msg := resp.Status
	if text != "" {
		msg += ": " + truncate(text, 200)
	}
	r := Result{StatusCode: code, Err: errors.New(msg)}
	switch {
	case code == http.StatusTooManyRequests:
		r.RetryAfter = retryAfter(resp.Header.Get("Retry-After"))
	case code >= 500, code < 200: // retried
	default: // 3xx, 4xx
		r.Permanent = true
	}
	return r, text
}

func retryAfter(v string) time.Duration {
	if s, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && s > 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return time.Until(t)
	}
	return 0
}

// connError says why no answer came, without the request's URL (which may hold a secret:
// a chat webhook's path, a user's password).
func connError(err error) string {
	var ue interface{ Unwrap() error }
	if errors.As(err, &ue) {
		if inner := ue.Unwrap(); inner != nil {
			err = inner
		}
	}
	return fmt.Sprintf("no answer: %v", err)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
