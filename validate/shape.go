package validate

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
	"unicode/utf16"

	"sluice"
)

// maxListed bounds the violations one message lists; the count still covers them all. Without
// it a 3 MB declaration of a million empty actions made a 680 MB message.
const maxListed = 25

// Violations collects the model's constraint violations in AWS's classic wording ("2
// validation errors detected: Value 'x y' at 'name' failed to satisfy constraint: …"): n of
// them, the first maxListed in list, so a huge input cannot make a huge message. The
// declaration's walk and the API's request checks both report through it.
type Violations struct {
	list []string
	n    int
	// zeros are the paths of members the request holds with a zero value (0, "", []), which
	// its decoded Go value cannot tell from absent ones (ZeroMembers); nil when unknown.
	zeros map[string]bool
}

// str is a string member's constraints from the model.
type str struct {
	required bool
	Constraint
}

// Pattern is a model pattern: the text AWS quotes in its messages and the regexp, anchored
// as Java's String.matches anchors it. The API checks its inputs' members with it too.
type Pattern struct {
	text string
	re   func() *regexp.Regexp
}

// NewPattern returns a pattern of the model, compiled when it first matches: the API's
// package-level rules hold dozens, and compiled at start they held 1 MB of an idle server's
// heap. TestPatternsCompile compiles the model's.
func NewPattern(text string) *Pattern {
	return &Pattern{text: text, re: sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^(?:` + text + `)$`)
	})}
}

// Match reports whether the whole of v matches.
func (p *Pattern) Match(v string) bool { return p.re().MatchString(v) }

// String is the pattern as the model (and AWS's messages) write it.
func (p *Pattern) String() string { return p.text }

// err returns the collected violations as one ValidationException, or nil.
func (s *Violations) Err() *sluice.Error {
	switch s.n {
	case 0:
		return nil
	case 1:
		return sluice.Errorf(sluice.EInvalid, "", "1 validation error detected: %s", s.list[0])
	}
	msg := strings.Join(s.list, "; ")
	if more := s.n - len(s.list); more > 0 {
		msg += fmt.Sprintf("; and %d more", more)
	}
	return sluice.Errorf(sluice.EInvalid, "", "%d validation errors detected: %s", s.n, msg)
}

// fail records that value (already rendered: "null", "'x'" or "" to omit it) at path breaks constraint.
func (s *Violations) Fail(value, path, constraint string) {
	s.n++
	if len(s.list) == maxListed {
		return
	}
	if value != "" {
		value = " " + value
	}
	s.list = append(s.list, fmt.Sprintf("Value%s at '%s' failed to satisfy constraint: %s", value, path, constraint))
}

func quote(v string) string { return "'" + v + "'" }

// null records a missing required member.
func (s *Violations) Null(path string) { s.Fail("null", path, "Member must not be null") }

// str checks a string member. The empty string stands for an absent member: Go cannot tell
// them apart once decoded, and re-encoding drops it.
func (s *Violations) str(path, v string, c str) {
	if v == "" && s.zeros[path] {
		s.Check(path, v, c.Constraint)
		return
	}
	if v == "" {
		if c.required {
			s.Null(path)
		}
		return
	}
	s.Check(path, v, c.Constraint)
}

// Check checks a string member known to be present, even if empty, quoting its value in
// messages.
func (s *Violations) Check(path, v string, c Constraint) { s.check(path, v, quote(v), c) }

// CheckText is Check for free text, whose messages do not repeat the value.
func (s *Violations) CheckText(path, v string, c Constraint) { s.check(path, v, "", c) }

// check checks v, shown in messages as shown ("" to leave it out).
func (s *Violations) check(path, v, shown string, c Constraint) {
	if c.Enum != nil {
		if !contains(c.Enum, v) {
			s.Fail(shown, path, "Member must satisfy enum value set: ["+strings.Join(c.Enum, ", ")+"]")
		}
		return
	}
	n := length(v)
	if c.Max > 0 && n > c.Max {
		s.Fail(shown, path, fmt.Sprintf("Member must have length less than or equal to %d", c.Max))
	}
	if n < c.Min {
		s.Fail(shown, path, fmt.Sprintf("Member must have length greater than or equal to %d", c.Min))
	}
	if c.Pattern != nil && !c.Pattern.Match(v) {
		s.Fail(shown, path, "Member must satisfy regular expression pattern: "+c.Pattern.String())
	}
}

// num checks an optional integer member; 0 stands for absent unless the request held it.
func (s *Violations) num(path string, v, lo, hi int) {
	switch {
	case v == 0 && !s.zeros[path]:
	case v < lo:
		s.Fail(quote(fmt.Sprint(v)), path, fmt.Sprintf("Member must have value greater than or equal to %d", lo))
	case hi > 0 && v > hi:
		s.Fail(quote(fmt.Sprint(v)), path, fmt.Sprintf("Member must have value less than or equal to %d", hi))
	}
}

// size checks a list's length. An empty list stands for an absent one (Go cannot tell them
// apart once stored and the JSON encoders drop it) unless the request held it, so a minimum
// of 1 fails only for a list the request sent empty.
func (s *Violations) size(path string, n, lo, hi int) {
	if hi > 0 && n > hi {
		s.Fail("", path, fmt.Sprintf("Member must have length less than or equal to %d", hi))
	}
	if n < lo && s.zeros[path] {
		s.Fail("", path, fmt.Sprintf("Member must have length greater than or equal to %d", lo))
	}
}

// member is the path of the i-th (0-based) element of the list at path.
func member(path string, i int) string { return fmt.Sprintf("%s.%d.member", path, i+1) }

// length counts a string as the service does: in UTF-16 code units.
func length(v string) int { return len(utf16.Encode([]rune(v))) }

func contains(set []string, v string) bool {
	for _, s := range set {
		if s == v {
			return true
		}
	}
	return false
}

// stringMap checks a map of strings: at most maxEntries entries (0: unbounded), keys and
// values within their shapes' lengths. Like AWS it reports one violation for all keys and
// one for all values, without showing them (configuration may hold secrets).
func (s *Violations) stringMap(path string, m map[string]string, maxEntries int, key, value Constraint) {
	if maxEntries > 0 && len(m) > maxEntries {
		s.Fail("", path, fmt.Sprintf("Member must have length less than or equal to %d", maxEntries))
	}
	badKey, badValue := false, false
	for k, v := range m {
		badKey = badKey || outside(k, key)
		badValue = badValue || outside(v, value)
	}
	if badKey {
		s.Fail("", path, "Map keys must satisfy constraint: "+bounds(key))
	}
	if badValue {
		s.Fail("", path, "Map value must satisfy constraint: "+bounds(value))
	}
}

func outside(v string, c Constraint) bool {
	n := length(v)
	return n < c.Min || (c.Max > 0 && n > c.Max)
}

func bounds(c Constraint) string {
	return fmt.Sprintf("[Member must have length less than or equal to %d, Member must have length greater than or equal to %d]", c.Max, c.Min)
}
