// Package callout holds what the server's job consumers share when they call others' HTTP
// endpoints (provider/lambda POSTs functions, provider/alarm reads Prometheus): a call made
// again after a backoff while the endpoint cannot be reached or is overloaded, and errors
// that quote the answer but never the URL, which may hold credentials.
package callout

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Retry makes a call with once until it succeeds, once says another attempt cannot help, or
// attempts calls were made, waiting backoff before the second call and twice as long before
// each next. It returns the last call's error, with the count of calls when they ran out, or
// ctx's error when ctx ended during a wait.
func Retry(ctx context.Context, attempts int, backoff time.Duration, once func() (retry bool, err error)) error {
	wait := backoff
	for attempt := 1; ; attempt++ {
		retry, err := once()
		switch {
		case err == nil || !retry:
			return err
		case attempt >= attempts:
			return fmt.Errorf("%w (%d attempts)", err, attempt)
		case !Sleep(ctx, wait):
			return ctx.Err()
		}
		wait *= 2
	}
}

// Retryable reports whether an answer's HTTP status asks to be asked again later: a 5xx, or
// 429 Too Many Requests.
func Retryable(status int) bool {
	return status >= 500 || status == http.StatusTooManyRequests
}

// Bare is err without the URL a *url.Error names.
func Bare(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// Excerpt quotes the start of an answer's body, which often says what went wrong: ": " and
// at most max bytes of it, "..." when it was longer, or "" for an empty body.
func Excerpt(body []byte, max int) string {
	cut := len(body) > max
	if cut {
		body = body[:max]
	}
	s := strings.TrimSpace(strings.ToValidUTF8(string(body), "")) // a rune cut at the end goes
	switch {
	case s == "":
		return ""
	case cut:
		s += "..."
	}
	return ": " + s
}

// Sleep waits d, or until ctx ends; it reports whether d passed.
func Sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
