package sqlstore

import (
	"encoding/json"
	"time"
)

// ts stores a time as unix nanoseconds UTC; the zero time is 0 so "unset" stays unset and
// sorts first.
func ts(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

// tm is the inverse of ts; times come back in UTC.
func tm(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

func bit(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// toJSON encodes a JSON column. The values are the store's own types, which always encode.
func toJSON(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}

func fromJSON(s string, v any) error { return json.Unmarshal([]byte(s), v) }
