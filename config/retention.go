package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Retain is --retain: how much execution history each pipeline keeps. Executions that
// started more than Age ago, or that are not among the Count newest, are pruned with their
// action runs, logs and artifacts; the zero value keeps everything.
type Retain struct {
	Age   time.Duration
	Count int
}

// MinRetainAge is the shortest age --retain accepts.
const MinRetainAge = time.Hour

const retainHelp = "want an age such as 90d, 12w or 36h, a count such as 500, or both as 90d,500"

// Enabled reports whether any limit is set.
func (r Retain) Enabled() bool { return r.Age > 0 || r.Count > 0 }

// String writes r as --retain takes it back ("" keeps everything).
func (r Retain) String() string {
	var parts []string
	switch {
	case r.Age <= 0:
	case r.Age%(24*time.Hour) == 0:
		parts = append(parts, strconv.FormatInt(int64(r.Age/(24*time.Hour)), 10)+"d")
	default:
		parts = append(parts, r.Age.String())
	}
	if r.Count > 0 {
		parts = append(parts, strconv.Itoa(r.Count))
	}
	return strings.Join(parts, ",")
}

// Set parses s: AGE, COUNT or AGE,COUNT (either order); "" keeps everything.
func (r *Retain) Set(s string) error {
	out, err := ParseRetain(s)
	if err != nil {
		return err
	}
	*r = out
	return nil
}

// Type names the flag's value in --help.
func (r *Retain) Type() string { return "AGE,COUNT" }

// ParseRetain reads a --retain value; its errors say what to write instead.
func ParseRetain(s string) (Retain, error) {
	var r Retain
	if strings.TrimSpace(s) == "" {
		return r, nil
	}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if n, err := strconv.Atoi(part); err == nil {
			if r.Count > 0 {
				return Retain{}, fmt.Errorf("--retain %q: two counts; %s", s, retainHelp)
			}
			if n < 1 {
				return Retain{}, fmt.Errorf("--retain %q: a count keeps at least 1 execution; leave --retain unset to keep everything", s)
			}
			r.Count = n
			continue
		}
		age, err := parseAge(part)
		if err != nil {
			return Retain{}, fmt.Errorf("--retain %q: %q is neither an age nor a count; %s", s, part, retainHelp)
		}
		if r.Age > 0 {
			return Retain{}, fmt.Errorf("--retain %q: two ages; %s", s, retainHelp)
		}
		if age < MinRetainAge {
			return Retain{}, fmt.Errorf("--retain %q: an age keeps at least %s of history; leave --retain unset to keep everything", s, MinRetainAge)
		}
		r.Age = age
	}
	return r, nil
}

// parseAge reads Nd (days), Nw (weeks) or a Go duration (36h, 90m).
func parseAge(s string) (time.Duration, error) {
	unit := map[byte]time.Duration{'d': 24 * time.Hour, 'w': 7 * 24 * time.Hour}
	if s != "" {
		if u, ok := unit[s[len(s)-1]]; ok {
			n, err := strconv.Atoi(s[:len(s)-1])
			if err != nil || n < 0 || n > 100*365 {
				return 0, fmt.Errorf("bad age %q", s)
			}
			return time.Duration(n) * u, nil
		}
	}
	return time.ParseDuration(s)
}

// retainFromEnv applies SLUICE_RETAIN.
func (s Server) retainFromEnv(getenv func(string) string) (Server, error) {
	if v := getenv("SLUICE_RETAIN"); v != "" {
		r, err := ParseRetain(v)
		if err != nil {
			return s, fmt.Errorf("SLUICE_RETAIN: %w", err)
		}
		s.Retain = r
	}
	return s, nil
}
