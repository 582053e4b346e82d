package ruleeval

import (
	"sluice"
	"sluice/schedule"
)

// cronFields names a window's fields after the seconds, with what each takes, for errors.
var cronFields = []struct{ name, takes string }{
	{"minutes", "0-59 with , - * /"},
	{"hours", "0-23 with , - * /"},
	{"day-of-month", "1-31 with , - * / ? L L-n nW LW"},
	{"month", "1-12 or JAN-DEC with , - * /"},
	{"day-of-week", "1-7 or SUN-SAT with , - * / ? L nL n#k"},
	{"year", "1970-2199 with , - * /"},
}

// fieldError says which field of expr (whose fields after the seconds are f) schedule refused:
// its own message names none, so each field is tried alone among fields that always parse.
func fieldError(expr string, f []string) error {
	if len(f) == 5 {
		f = append(f, "*")
	}
	if (f[2] == "?") == (f[4] == "?") {
		return sluice.Errorf(sluice.EInvalid, "", "Cron '%s' must have '?' in exactly one of day-of-month and day-of-week", expr)
	}
	for i, field := range cronFields {
		probe := []string{"*", "*", "*", "*", "?", "*"}
		if f[2] == "?" {
			probe[2], probe[4] = "?", "*"
		}
		probe[i] = f[i]
		if _, err := schedule.ParseFields(probe, schedule.Quartz); err != nil {
			return sluice.Errorf(sluice.EInvalid, "", "Cron '%s' has an invalid %s field '%s'; it takes %s", expr, field.name, f[i], field.takes)
		}
	}
	return sluice.Errorf(sluice.EInvalid, "", "Cron '%s' is not a valid cron expression", expr)
}
