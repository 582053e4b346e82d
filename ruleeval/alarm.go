package ruleeval

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

// Alarm is a CloudWatchAlarm rule's configuration, read. The server's Prometheus watcher
// (provider/alarm) runs it; CreatePipeline checks it with the same reading.
type Alarm struct {
	// Names are the alerts watched (AlarmName: one name or a comma-separated list).
	Names []string
	// Bad are the states that fail the rule (AlarmStates; default ALARM).
	Bad []string
	// WaitMinutes is how long the rule watches (WaitTime; 0: one check).
	WaitMinutes int
}

// ParseAlarm reads a rule's resolved configuration; its errors name the field to fix.
func ParseAlarm(cfg map[string]string) (Alarm, error) {
	var r Alarm
	r.Names = commaList(cfg["AlarmName"])
	if len(r.Names) == 0 {
		return r, sluice.Errorf(sluice.EInvalid, "",
			"AlarmName is required: name the Prometheus alert (its alertname label) the rule watches, or a comma-separated list of them")
	}
	r.Bad = commaList(cfg["AlarmStates"])
	if len(r.Bad) == 0 {
		r.Bad = []string{StateAlarm}
	}
	for _, s := range r.Bad {
		if !slices.Contains(states, s) {
			return r, sluice.Errorf(sluice.EInvalid, "",
				"AlarmStates %q: want a comma-separated list of ALARM, OK and INSUFFICIENT_DATA", cfg["AlarmStates"])
		}
	}
	if w := strings.TrimSpace(cfg["WaitTime"]); w != "" {
		n, err := strconv.Atoi(w)
		if err != nil || n < 0 {
			return r, sluice.Errorf(sluice.EInvalid, "",
				"WaitTime %q: want a whole number of minutes, 0 (one check) or more", cfg["WaitTime"])
		}
		r.WaitMinutes = n
	}
	return r, nil
}

// commaList splits a comma-separated value, without blanks and empty items.
func commaList(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// IsBad reports whether state fails the rule.
func (r Alarm) IsBad(state string) bool { return slices.Contains(r.Bad, state) }

// FirstBad is the first of the rule's alerts, in AlarmName's order, whose state fails it.
func (r Alarm) FirstBad(got map[string]string) (name, state string) {
	for _, n := range r.Names {
		if r.IsBad(got[n]) {
			return n, got[n]
		}
	}
	return "", ""
}
