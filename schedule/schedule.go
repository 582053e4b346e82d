// Package schedule reads EventBridge rules' schedule expressions, rate() and cron(), and
// says when they fire next. Times are UTC and minute-grained, as EventBridge's rules are.
package schedule

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Error is an invalid expression: its Message is ValidationException's.
type Error struct{ Message string }

func (e *Error) Error() string { return e.Message }

func invalid(format string, args ...any) error {
	return &Error{Message: fmt.Sprintf(format, args...)}
}

// Schedule is a parsed expression.
type Schedule interface {
	// Next is the first fire time strictly after after, on a whole minute (zero: never).
	Next(after time.Time) time.Time
}

// MaxLength is the longest expression the model takes.
const MaxLength = 256

// Parse reads a rate() or cron() expression.
func Parse(expr string) (Schedule, error) {
	if len(expr) > MaxLength {
		return nil, invalid("Parameter ScheduleExpression is not valid.")
	}
	switch {
	case strings.HasPrefix(expr, "rate(") && strings.HasSuffix(expr, ")"):
		return parseRate(expr[len("rate(") : len(expr)-1])
	case strings.HasPrefix(expr, "cron(") && strings.HasSuffix(expr, ")"):
		return parseCron(expr[len("cron(") : len(expr)-1])
	}
	return nil, invalid("Parameter ScheduleExpression is not valid.")
}

// Rate fires every Period, counted in whole minutes.
type Rate struct{ Period time.Duration }

// Next is after's minute plus the period: a rule made at 10:00:30 with rate(5 minutes)
// first fires at 10:05, then every five minutes after the previous fire time.
func (r Rate) Next(after time.Time) time.Time { return after.UTC().Truncate(time.Minute).Add(r.Period) }

var rateUnits = map[string]time.Duration{"minute": time.Minute, "hour": time.Hour, "day": 24 * time.Hour}

func parseRate(body string) (Schedule, error) {
	parts := strings.Fields(body)
	if len(parts) != 2 || strings.Join(parts, " ") != body {
		return nil, invalid("Parameter ScheduleExpression is not valid.")
	}
	n, err := strconv.Atoi(parts[0])
	if err != nil || n <= 0 || parts[0][0] == '+' || n > 1e6 {
		return nil, invalid("Parameter ScheduleExpression is not valid.")
	}
	unit := parts[1]
	if n > 1 {
		if !strings.HasSuffix(unit, "s") {
			return nil, invalid("Parameter ScheduleExpression is not valid.")
		}
		unit = strings.TrimSuffix(unit, "s")
	}
	d, ok := rateUnits[unit]
	if !ok {
		return nil, invalid("Parameter ScheduleExpression is not valid.")
	}
	return Rate{Period: time.Duration(n) * d}, nil
}
