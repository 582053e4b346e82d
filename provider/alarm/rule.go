package alarm

import (
	"slices"
	"strconv"
	"strings"

	"sluice"
)

// The states of a CloudWatch alarm, which a Prometheus alert is mapped onto: firing is
// ALARM, pending INSUFFICIENT_DATA (the condition holds, its `for` has not yet passed), and
// an alert Prometheus does not list is OK.
const (
	StateAlarm            = "ALARM"
	StateOK               = "OK"
	StateInsufficientData = "INSUFFICIENT_DATA"
)

var states = []string{StateAlarm, StateOK, StateInsufficientData}

// Rule is a CloudWatchAlarm rule's configuration, read.
type Rule struct {
	// Names are the alerts watched (AlarmName: one name or a comma-separated list).
	Names []string
	// Bad are the states that fail the rule (AlarmStates; default ALARM).
	Bad []string
	// WaitMinutes is how long the rule watches (WaitTime; 0: one check).
	WaitMinutes int
}

// ParseRule reads a rule's resolved configuration; its errors name the field to fix.
func ParseRule(cfg map[string]string) (Rule, error) {
	var r Rule
	r.Names = list(cfg["AlarmName"])
	if len(r.Names) == 0 {
		return r, sluice.Errorf(sluice.EInvalid, "Rule",
			"AlarmName is required: name the Prometheus alert (its alertname label) the rule watches, or a comma-separated list of them")
	}
	r.Bad = list(cfg["AlarmStates"])
	if len(r.Bad) == 0 {
		r.Bad = []string{StateAlarm}
	}
	for _, s := range r.Bad {
		if !slices.Contains(states, s) {
			return r, sluice.Errorf(sluice.EInvalid, "Rule",
				"AlarmStates %q: want a comma-separated list of ALARM, OK and INSUFFICIENT_DATA", cfg["AlarmStates"])
		}
	}
	if w := strings.TrimSpace(cfg["WaitTime"]); w != "" {
		n, err := strconv.Atoi(w)
		if err != nil || n < 0 {
			return r, sluice.Errorf(sluice.EInvalid, "Rule",
				"WaitTime %q: want a whole number of minutes, 0 (one check) or more", cfg["WaitTime"])
		}
		r.WaitMinutes = n
	}
	return r, nil
}

// list splits a comma-separated value, without blanks and empty items.
func list(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// bad reports whether state fails the rule.
func (r Rule) bad(state string) bool { return slices.Contains(r.Bad, state) }
