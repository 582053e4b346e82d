package callout

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestRetry(t *testing.T) {
	t.Parallel()
	busy := errors.New("it answered HTTP 503")

	t.Run("AgainWhileRetryable", func(t *testing.T) {
		t.Parallel()
		calls := 0
		err := Retry(t.Context(), 3, time.Microsecond, func() (bool, error) {
			calls++
			return true, busy
		})
		require.ErrorIs(t, err, busy)
		require.EqualError(t, err, "it answered HTTP 503 (3 attempts)")
		require.Equal(t, 3, calls)
	})

	t.Run("StopsAtSuccessOrFinalError", func(t *testing.T) {
		t.Parallel()
		calls := 0
		require.NoError(t, Retry(t.Context(), 3, time.Microsecond, func() (bool, error) {
			if calls++; calls == 1 {
				return true, busy
			}
			return false, nil
		}))
		require.Equal(t, 2, calls)
		refused := errors.New("it answered HTTP 403")
		require.Equal(t, refused, Retry(t.Context(), 3, time.Microsecond, func() (bool, error) { return false, refused }))
	})

	t.Run("ErrContextEndedDuringWait", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithCancel(t.Context())
		err := Retry(ctx, 3, time.Hour, func() (bool, error) {
			cancel()
			return true, busy
		})
		require.ErrorIs(t, err, context.Canceled)
	})
}

func TestExcerpt(t *testing.T) {
	t.Parallel()
	require.Equal(t, "", Excerpt([]byte(" \n"), 5))
	require.Equal(t, ": no", Excerpt([]byte("no\n"), 5))
	require.Equal(t, ": 12345", Excerpt([]byte("12345"), 5))
	require.Equal(t, ": 12345...", Excerpt([]byte("123456"), 5))
	require.Equal(t, ": ab...", Excerpt([]byte("ab\xc3\xa9"), 3), "a rune cut at the end goes")
}

func TestRetryable(t *testing.T) {
	t.Parallel()
	for status, want := range map[int]bool{500: true, 503: true, 429: true, 404: false, 400: false, 302: false} {
		require.Equal(t, want, Retryable(status), status)
	}
}
