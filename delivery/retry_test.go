package delivery_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/delivery"
)

func TestDelay(t *testing.T) {
	t.Parallel()
	s := time.Second
	for _, c := range []struct {
		name string
		p    sluice.RetryPolicy
		want []time.Duration // delays after tries 1..NumRetries
	}{
		{"SNSDefault", delivery.SNSHTTPPolicy, []time.Duration{20 * s, 20 * s, 20 * s}},
		{"Linear", sluice.RetryPolicy{NumRetries: 5, MinDelay: 10 * s, MaxDelay: 50 * s, Backoff: "linear"},
			[]time.Duration{10 * s, 20 * s, 30 * s, 40 * s, 50 * s}},
		{"Arithmetic", sluice.RetryPolicy{NumRetries: 3, MinDelay: 10 * s, MaxDelay: 50 * s, Backoff: "arithmetic"},
			[]time.Duration{10 * s, 20 * s, 50 * s}},
		{"Geometric", sluice.RetryPolicy{NumRetries: 3, MinDelay: 10 * s, MaxDelay: 40 * s, Backoff: "geometric"},
			[]time.Duration{10 * s, 20 * s, 40 * s}},
		{"Phases", sluice.RetryPolicy{NumRetries: 7, NoDelayRetries: 1, MinDelayRetries: 2, MaxDelayRetries: 1, MinDelay: 10 * s,
			MaxDelay: 50 * s, Backoff: "linear"}, []time.Duration{0, 10 * s, 10 * s, 10 * s, 30 * s, 50 * s, 50 * s}},
		{"ExponentialCapped", sluice.RetryPolicy{NumRetries: 5, MinDelay: s, MaxDelay: 5 * s, Backoff: "exponential"},
			[]time.Duration{s, 2 * s, 4 * s, 5 * s, 5 * s}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			var got []time.Duration
			for n := 1; n <= c.p.NumRetries; n++ {
				got = append(got, delivery.Delay(c.p, n).Round(time.Millisecond))
			}
			require.Equal(t, c.want, got)
		})
	}
}

func TestNext(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	fresh := func() *sluice.Delivery {
		return &sluice.Delivery{Protocol: "https", Created: now, Status: sluice.DeliveryPending}
	}
	t.Run("Delivered", func(t *testing.T) {
		t.Parallel()
		d := fresh()
		delivery.Next(d, delivery.Result{StatusCode: 200}, now)
		require.Equal(t, sluice.DeliveryDelivered, d.Status)
		require.Equal(t, 1, d.Attempts)
	})
	t.Run("RetriedThenDead", func(t *testing.T) {
		t.Parallel()
		d := fresh()
		boom := errors.New("503 Service Unavailable")
		for i := 1; i <= 3; i++ {
			delivery.Next(d, delivery.Result{StatusCode: 503, Err: boom}, now)
			require.Equal(t, sluice.DeliveryPending, d.Status, "retry %d", i)
			require.Equal(t, now.Add(20*time.Second), d.NextAttempt)
		}
		delivery.Next(d, delivery.Result{StatusCode: 503, Err: boom}, now)
		require.Equal(t, sluice.DeliveryFailed, d.Status, "four attempts, then dead")
		require.Equal(t, 4, d.Attempts)
		require.Equal(t, "503 Service Unavailable", d.LastError)
	})
	t.Run("PermanentAtOnce", func(t *testing.T) {
		t.Parallel()
		d := fresh()
		delivery.Next(d, delivery.Result{StatusCode: 404, Err: errors.New("404"), Permanent: true}, now)
		require.Equal(t, sluice.DeliveryFailed, d.Status)
	})
	t.Run("RetryAfterHonoured", func(t *testing.T) {
		t.Parallel()
		d := fresh()
		delivery.Next(d, delivery.Result{StatusCode: 429, Err: errors.New("429"), RetryAfter: time.Minute}, now)
		require.Equal(t, now.Add(time.Minute), d.NextAttempt)
	})
	t.Run("MaxAge", func(t *testing.T) {
		t.Parallel()
		d := fresh()
		d.Policy = sluice.RetryPolicy{NumRetries: 100, MinDelay: time.Minute, MaxDelay: time.Minute, MaxAge: 90 * time.Second}
		delivery.Next(d, delivery.Result{Err: errors.New("x")}, now)
		require.Equal(t, sluice.DeliveryPending, d.Status)
		delivery.Next(d, delivery.Result{Err: errors.New("x")}, now.Add(time.Minute))
		require.Equal(t, sluice.DeliveryFailed, d.Status)
	})
}
