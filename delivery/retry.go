package delivery

import (
	"math"
	"time"

	"sluice"
)

// Default retry policies, by protocol, for deliveries enqueued without one (a zero Policy).
var (
	// SNSHTTPPolicy is SNS's default for http and https subscriptions (§3.8): three retries
	// 20 s apart, four attempts over about a minute.
	SNSHTTPPolicy = sluice.RetryPolicy{NumRetries: 3, MinDelay: 20 * time.Second, MaxDelay: 20 * time.Second, Backoff: "linear"}
	// EmailPolicy retries a mail server that is down or answers 4xx for about six hours
	// (Sluice's pick: SNS manages its own mail).
	EmailPolicy = sluice.RetryPolicy{NumRetries: 12, MinDelay: 30 * time.Second, MaxDelay: time.Hour, Backoff: "exponential",
		MaxAge: 6 * time.Hour}
	// ChatPolicy retries Slack's and Teams' rate limits and outages for about an hour.
	ChatPolicy = sluice.RetryPolicy{NumRetries: 10, MinDelay: 5 * time.Second, MaxDelay: 10 * time.Minute, Backoff: "exponential",
		MaxAge: time.Hour}
	// WebhookPolicy is EventBridge's default target retry policy: 185 attempts within 24 h.
	WebhookPolicy = sluice.RetryPolicy{NumRetries: 185, MinDelay: time.Second, MaxDelay: 10 * time.Minute, Backoff: "exponential",
		MaxAge: 24 * time.Hour}
)

// PolicyFor returns d's policy, or its protocol's default when d has none.
func PolicyFor(d *sluice.Delivery) sluice.RetryPolicy {
	if d.Policy != (sluice.RetryPolicy{}) {
		return d.Policy
	}
	switch d.Protocol {
	case sluice.ProtocolSlack, sluice.ProtocolTeams:
		return ChatPolicy
	case sluice.ProtocolWebhook:
		return WebhookPolicy
	case "email", "email-json":
		return EmailPolicy
	}
	return SNSHTTPPolicy
}

// Delay is how long after failed try number n (1 = the first try) the next one waits, by
// SNS's four phases (§3.8), all counted in NumRetries: NoDelayRetries at once, then
// MinDelayRetries MinDelay apart, then the backoff phase growing from MinDelay to MaxDelay
// by the backoff function (linear steps, arithmetic (quadratic) or geometric growth, or
// exponential doubling from MinDelay), and last MaxDelayRetries MaxDelay apart.
func Delay(p sluice.RetryPolicy, n int) time.Duration {
	lo, hi := p.MinDelay, max(p.MaxDelay, p.MinDelay)
	switch {
	case n <= p.NoDelayRetries:
		return 0
	case n <= p.NoDelayRetries+p.MinDelayRetries:
		return lo
	case n > p.NumRetries-p.MaxDelayRetries:
		return hi
	}
	k := n - p.NoDelayRetries - p.MinDelayRetries // 1 at the backoff phase's first retry
	phase := p.NumRetries - p.NoDelayRetries - p.MinDelayRetries - p.MaxDelayRetries
	if phase <= 1 || lo == hi {
		return lo
	}
	f := float64(min(k-1, phase-1)) / float64(phase-1) // 0 at the phase's first retry, 1 at its last
	var d float64
	switch p.Backoff {
	case "arithmetic":
		d = float64(lo) + float64(hi-lo)*f*f
	case "geometric":
		d = float64(max(lo, time.Millisecond)) * math.Pow(float64(hi)/float64(max(lo, time.Millisecond)), f)
	case "exponential":
		d = float64(lo) * math.Pow(2, float64(min(k-1, 62)))
	default: // linear
		d = float64(lo) + float64(hi-lo)*f
	}
	return min(max(time.Duration(min(d, float64(hi))), lo), hi)
}

// Result is what one try of a delivery came to.
type Result struct {
	StatusCode int   // the destination's HTTP or SMTP status; 0 when none came
	Err        error // nil: delivered
	// Permanent says that trying again cannot help (an HTTP 4xx, an SMTP 5xx, a refused
	// destination): the delivery fails at once.
	Permanent bool
	// RetryAfter is the destination's own wish (Retry-After), honoured when longer than the
	// policy's delay.
	RetryAfter time.Duration
}

// Next applies the outcome r of a try that ended at now to d: one more attempt, then
// Delivered, Failed (permanent, retries exhausted, or past MaxAge), or Pending again at
// the policy's next delay. It is pure: the caller records d.
func Next(d *sluice.Delivery, r Result, now time.Time) {
	d.Attempts++
	if r.Err == nil {
		d.Status, d.LastError = sluice.DeliveryDelivered, ""
		return
	}
	d.LastError = r.Err.Error()
	p := PolicyFor(d)
	if r.Permanent || d.Attempts > p.NumRetries {
		d.Status = sluice.DeliveryFailed
		return
	}
	next := now.Add(max(Delay(p, d.Attempts), min(r.RetryAfter, time.Hour)))
	if p.MaxAge > 0 && next.Sub(d.Created) > p.MaxAge {
		d.Status = sluice.DeliveryFailed
		d.LastError += " (retries stopped: the message is older than the retry policy allows)"
		return
	}
	d.Status, d.NextAttempt = sluice.DeliveryPending, next
}
