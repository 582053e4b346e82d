package config

import (
	"fmt"
	"time"
)

// DefaultEventRetention is how long handled events stay readable by the event stream: a
// day, so that a follower that was away overnight resumes where it stopped.
const DefaultEventRetention = 24 * time.Hour

// eventsFromEnv applies SLUICE_EVENT_RETENTION.
func (s Server) eventsFromEnv(getenv func(string) string) (Server, error) {
	if v := getenv("SLUICE_EVENT_RETENTION"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			return s, fmt.Errorf("SLUICE_EVENT_RETENTION=%q: want a duration such as 24h (0: prune at once)", v)
		}
		s.EventRetention = d
	}
	return s, nil
}
