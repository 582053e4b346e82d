package query

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"sync"
	"unicode/utf8"

	"sluice"
	"sluice/service"
)

// rule is a string member's constraints from the IAM model: length bounds and a pattern
// (shown in errors as the model writes it).
type rule struct {
	min, max int
	re       func() *regexp.Regexp // compiled at first use, not in an idle server's heap
	pattern  string
}

func pattern(min, max int, goRE, modelRE string) rule {
	re := sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(?:` + goRE + `)$`) })
	return rule{min: min, max: max, re: re, pattern: modelRE}
}

// The IAM model's member constraints Sluice's operations use.
var (
	newUserName      = pattern(1, 64, `[\w+=,.@-]+`, `[\w+=,.@-]+`)
	entityName       = pattern(1, 128, `[\w+=,.@-]+`, `[\w+=,.@-]+`)
	pathRule         = pattern(1, 512, `/|/[\x21-\x7E]+/`, `(\u002F)|(\u002F[\u0021-\u007E]+\u002F)`)
	policyPath       = pattern(1, 512, `(?:/[A-Za-z0-9.,+@=_-]+)*/`, `((/[A-Za-z0-9\.,\+@=_-]+)*)/`)
	pathPrefix       = pattern(1, 512, `/[\x21-\x7F]*`, `\u002F[\u0021-\u007F]*`)
	policyPathPrefix = pattern(1, 512, `(?:/[A-Za-z0-9.,+@=_-]+)*/?`, `((/[A-Za-z0-9\.,\+@=_-]+)*)/`)
	document         = pattern(1, 131072, `[\t\n\r\x{20}-\x{FF}]+`, `[\u0009\u000A\u000D\u0020-\u00FF]+`)
	accessKeyID      = pattern(16, 128, `[\w]+`, `[\w]+`)
	markerRule       = pattern(1, 320, `[\x{20}-\x{FF}]+`, `[\u0020-\u00FF]+`)
	arnRule          = rule{min: 20, max: 2048}
	description      = rule{min: 0, max: 1000}
	versionID        = pattern(1, 128, `v[1-9][0-9]*(?:\.[A-Za-z0-9-]*)?`, `v[1-9][0-9]*(\.[A-Za-z0-9-]*)?`)
)

// form reads a request's members, keeping the first constraint one breaks.
type form struct {
	values url.Values
	err    error
}

func (f *form) fail(member, value, constraint string) {
	if f.err == nil {
		f.err = sluice.Errorf(sluice.EInvalid, "", "1 validation error detected: Value %s at '%s' failed to satisfy constraint: %s",
			value, member, constraint)
	}
}

// str reads member name (its wire name; member is the model's lower-camel name for errors).
func (f *form) str(name string, required bool, r rule) string {
	member := lowerFirst(name)
	v, ok := f.values[name]
	if !ok || len(v) == 0 {
		if required {
			f.fail(member, "null", "Member must not be null")
		}
		return ""
	}
	s := v[0]
	n := utf8.RuneCountInString(s)
	quoted := "'" + s + "'"
	if n > 256 {
		quoted = "'" + string([]rune(s)[:64]) + "…'" // keep errors short
	}
	switch {
	case n < r.min:
		f.fail(member, quoted, fmt.Sprintf("Member must have length greater than or equal to %d", r.min))
	case n > r.max:
		f.fail(member, quoted, fmt.Sprintf("Member must have length less than or equal to %d", r.max))
	case r.re != nil && !r.re().MatchString(s):
		f.fail(member, quoted, "Member must satisfy regular expression pattern: "+r.pattern)
	}
	return s
}

// enum reads a member that must be one of values.
func (f *form) enum(name string, required bool, values ...string) string {
	s := f.str(name, required, rule{max: 1 << 20})
	if s == "" {
		return s
	}
	for _, v := range values {
		if s == v {
			return s
		}
	}
	f.fail(lowerFirst(name), "'"+s+"'", fmt.Sprintf("Member must satisfy enum value set: %v", values))
	return s
}

// page reads Marker and MaxItems.
func (f *form) page() service.IAMPage {
	p := service.IAMPage{Marker: f.str("Marker", false, markerRule)}
	if v := f.values.Get("MaxItems"); v != "" {
		n, err := strconv.Atoi(v)
		switch {
		case err != nil:
			f.fail("maxItems", "'"+v+"'", "Member must be an integer")
		case n < 1:
			f.fail("maxItems", "'"+v+"'", "Member must have value greater than or equal to 1")
		case n > 1000:
			f.fail("maxItems", "'"+v+"'", "Member must have value less than or equal to 1000")
		}
		p.MaxItems = n
	}
	return p
}

// boolean reads a boolean member ("true"/"false").
func (f *form) boolean(name string) bool {
	v := f.values.Get(name)
	if v != "" && v != "true" && v != "false" {
		f.fail(lowerFirst(name), "'"+v+"'", "Member must be a boolean")
	}
	return v == "true"
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return string(s[0]|0x20) + s[1:]
}
