package main

import (
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptrace"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"sluice/bench/internal/benchserver"
	"sluice/bench/internal/stats"
)

// signIn posts the sign-in form with the root key and returns a client holding the
// session's cookie, as a browser would.
func signIn(base string) (*http.Client, error) {
	jar, err := cookiejar.New(nil)
	if err != nil {
		return nil, err
	}
	c := &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.PostForm(base+"/signin", url.Values{"access_key_id": {benchserver.KeyID}, "secret_access_key": {benchserver.Secret}})
	if err != nil {
		return nil, err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		return nil, fmt.Errorf("sign-in answered %s", resp.Status)
	}
	return c, nil
}

// durations are samples of one measure.
type durations = stats.Durations

type measures struct {
	ttfb, total durations
	size        int
}

// measure fetches u n times, after one request that warms up, over one kept-alive
// connection, and times each: to the first byte of the answer and to its last.
func measure(c *http.Client, u string, n int) (measures, error) {
	var m measures
	for i := -1; i < n; i++ {
		var first time.Time
		req, err := http.NewRequest(http.MethodGet, u, nil)
		if err != nil {
			return m, err
		}
		req = req.WithContext(httptrace.WithClientTrace(req.Context(), &httptrace.ClientTrace{
			GotFirstResponseByte: func() { first = time.Now() }}))
		start := time.Now()
		resp, err := c.Do(req)
		if err != nil {
			return m, err
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		end := time.Now()
		if err != nil {
			return m, err
		}
		if resp.StatusCode != http.StatusOK {
			return m, fmt.Errorf("GET %s answered %s: %.300s", u, resp.Status, body)
		}
		if i < 0 {
			if os.Getenv("BENCH_DUMP") != "" {
				_ = os.WriteFile(filepath.Join(os.Getenv("BENCH_DUMP"), url.PathEscape(u)+".html"), body, 0o644)
			}
			continue
		}
		m.ttfb, m.total, m.size = append(m.ttfb, first.Sub(start)), append(m.total, end.Sub(start)), len(body)
	}
	return m, nil
}
