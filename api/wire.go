package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"sluice"
)

// epoch is a timestamp on the wire: seconds since the epoch with a fractional part.
type epoch time.Time

func (t epoch) MarshalJSON() ([]byte, error) {
	ms := time.Time(t).UnixMilli()
	return []byte(strconv.FormatFloat(float64(ms)/1000, 'f', 3, 64)), nil
}

func (t *epoch) UnmarshalJSON(b []byte) error {
	f, err := strconv.ParseFloat(string(bytes.Trim(b, `"`)), 64)
	if err != nil {
		return fmt.Errorf("timestamp %s is not a number of seconds", b)
	}
	*t = epoch(time.UnixMilli(int64(f * 1000)).UTC())
	return nil
}

// ts returns a wire timestamp, nil for the zero time so the member is omitted.
func ts(t time.Time) *epoch {
	if t.IsZero() {
		return nil
	}
	e := epoch(t)
	return &e
}

// decode reads a request body into in; unknown members (such as "__type") are ignored as AWS
// services ignore them.
func decode(body []byte, in any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		body = []byte("{}")
	}
	if err := json.Unmarshal(body, in); err != nil {
		return sluice.Errorf(sluice.EInvalid, "", "The request body is not valid JSON for this operation: %v", err)
	}
	return nil
}

// required reports the first empty required member as the model's null-value error.
func required(pairs ...string) error {
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] == "" {
			return sluice.Errorf(sluice.EInvalid, "", "1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", pairs[i])
		}
	}
	return nil
}

type tag struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

func tagMap(tags []tag) map[string]string {
	if len(tags) == 0 {
		return nil
	}
	m := make(map[string]string, len(tags))
	for _, t := range tags {
		m[t.Key] = t.Value
	}
	return m
}
