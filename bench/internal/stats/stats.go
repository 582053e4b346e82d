// Package stats summarises the benchmarks' samples.
package stats

import (
	"slices"
	"time"
)

// Durations are samples of one measure.
type Durations []time.Duration

// P is the q-th percentile (nearest rank; q 50 is the median, 100 the largest).
func (d Durations) P(q int) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	i := (len(s)*q+99)/100 - 1
	return s[max(i, 0)]
}
