package restjson

import "time"

// epoch is a timestamp as rest-json writes it by default: seconds since 1970, fractional.
func epoch(t time.Time) float64 {
	if t.IsZero() {
		return 0
	}
	return float64(t.UnixMicro()) / 1e6
}
