package ruleeval

import (
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"sluice"
)

// utcOffset is UTC±H, UTC±HH, UTC±H:MM or UTC±HH:MM (GMT alike).
var utcOffset = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(?:UTC|GMT)([+-])(\d{1,2})(?::(\d{2}))?$`) })

// abbreviations name a region's local time, daylight saving included: EST and EDT both mean
// New York's clock, which is what "deploy 9 to 5 EST" means to the people who write it.
// IST is India's. UTC±HH:MM is the way to ask for a fixed offset.
var abbreviations = map[string]string{
	"UTC": "UTC", "GMT": "UTC", "Z": "UTC",
	"EST": "America/New_York", "EDT": "America/New_York",
	"CST": "America/Chicago", "CDT": "America/Chicago",
	"MST": "America/Denver", "MDT": "America/Denver",
	"PST": "America/Los_Angeles", "PDT": "America/Los_Angeles",
	"AKST": "America/Anchorage", "AKDT": "America/Anchorage",
	"HST": "Pacific/Honolulu",
	"AST": "America/Halifax", "ADT": "America/Halifax",
	"NST": "America/St_Johns", "NDT": "America/St_Johns",
	"BRT": "America/Sao_Paulo", "ART": "America/Argentina/Buenos_Aires",
	"WET": "Europe/Lisbon", "WEST": "Europe/Lisbon", "BST": "Europe/London",
	"CET": "Europe/Paris", "CEST": "Europe/Paris",
	"EET": "Europe/Athens", "EEST": "Europe/Athens",
	"MSK": "Europe/Moscow", "SAST": "Africa/Johannesburg",
	"GST": "Asia/Dubai", "PKT": "Asia/Karachi", "IST": "Asia/Kolkata",
	"ICT": "Asia/Bangkok", "WIB": "Asia/Jakarta", "SGT": "Asia/Singapore",
	"HKT": "Asia/Hong_Kong", "JST": "Asia/Tokyo", "KST": "Asia/Seoul",
	"AWST": "Australia/Perth", "ACST": "Australia/Adelaide", "ACDT": "Australia/Adelaide",
	"AEST": "Australia/Sydney", "AEDT": "Australia/Sydney",
	"NZST": "Pacific/Auckland", "NZDT": "Pacific/Auckland",
}

// location reads a DeploymentWindow TimeZone: "" (UTC), an IANA name, UTC±HH:MM, or one of
// the abbreviations above.
func location(name string) (*time.Location, error) {
	if name == "" {
		return time.UTC, nil
	}
	if m := utcOffset().FindStringSubmatch(name); m != nil {
		return fixedZone(name, m)
	}
	iana := name
	if a, ok := abbreviations[strings.ToUpper(name)]; ok {
		iana = a
	}
	// "Local" would be the host's zone, the one thing a rule's time zone must not depend on.
	if iana != "Local" {
		if loc, err := time.LoadLocation(iana); err == nil {
			return loc, nil
		}
	}
	return nil, badZone(name)
}

func fixedZone(name string, m []string) (*time.Location, error) {
	h, _ := strconv.Atoi(m[2])
	mins := 0
	if m[3] != "" {
		mins, _ = strconv.Atoi(m[3])
	}
	secs := h*3600 + mins*60
	if mins >= 60 || secs > 14*3600 {
		return nil, badZone(name)
	}
	if m[1] == "-" {
		secs = -secs
	}
	return time.FixedZone(name, secs), nil
}

func badZone(name string) error {
	return sluice.Errorf(sluice.EInvalid, "", "TimeZone '%s' is not a time zone; use an IANA name such as America/New_York, an offset such as UTC+05:30, or an abbreviation such as PST", name)
}
