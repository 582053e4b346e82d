// Package ruleeval decides the stage-condition rules that need no job: DeploymentWindow (is
// now inside the window?) and VariableCheck (does a resolved variable pass the comparison?),
// and checks their configuration as CreatePipeline must. It is pure: time comes in as an
// argument and time zones come from the embedded tzdata, never from the host.
package ruleeval

import (
	"strings"
	"time"
	_ "time/tzdata" // TimeZone must mean the same on every host, zoneinfo files or not

	"sluice"
	"sluice/schedule"
)

// InWindow reports whether now is inside the deployment window of a DeploymentWindow rule:
// cron is the rule's Cron configuration, timeZone its TimeZone ("" = UTC). It returns the
// window's next opening when now is outside (zero time when it cannot tell), for the summary;
// nextOpen is in the window's time zone.
func InWindow(cron, timeZone string, now time.Time) (inside bool, nextOpen time.Time, err error) {
	c, err := parseWindow(cron)
	if err != nil {
		return false, time.Time{}, err
	}
	loc, err := location(timeZone)
	if err != nil {
		return false, time.Time{}, err
	}
	if c.Matches(now.In(loc)) {
		return true, time.Time{}, nil
	}
	return false, c.NextIn(now, loc), nil
}

// ValidateWindow checks Cron and TimeZone as CreatePipeline must (error message names the field).
func ValidateWindow(cron, timeZone string) error {
	if _, err := parseWindow(cron); err != nil {
		return err
	}
	_, err := location(timeZone)
	return err
}

// parseWindow reads a DeploymentWindow Cron: seconds minutes hours day-of-month month
// day-of-week [year]. The window is every minute the expression names, read minute by minute,
// with two readings that make the documented example "0 0 9-17 ? * MON-FRI *" the working
// hours it is meant to be (docs/compatibility.md, "Stage condition rules"): seconds are not
// part of a window (only * or 0), and minutes "0" means every minute of the named hours.
func parseWindow(expr string) (*schedule.Cron, error) {
	f := strings.Fields(expr)
	if len(f) != 6 && len(f) != 7 {
		return nil, sluice.Errorf(sluice.EInvalid, "", "Cron '%s' has %d fields; a deployment window takes seconds, minutes, hours, day-of-month, month, day-of-week and an optional year, such as '0 0 9-17 ? * MON-FRI *'", expr, len(f))
	}
	if f[0] != "*" && f[0] != "0" {
		return nil, sluice.Errorf(sluice.EInvalid, "", "Cron '%s' has seconds field '%s'; deployment windows are read by the minute, so seconds must be * or 0", expr, f[0])
	}
	fields := []string{f[1], f[2], f[3], f[4], f[5], "*"}
	if len(f) == 7 {
		fields[5] = f[6]
	}
	if fields[0] == "0" {
		fields[0] = "*"
	}
	c, err := schedule.ParseFields(fields, schedule.Quartz)
	if err != nil {
		return nil, fieldError(expr, f[1:])
	}
	return c, nil
}
