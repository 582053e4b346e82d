package validate

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf16"

	"sluice"
)

// maxListed bounds the violations one message lists; the count still covers them all. Without
// it a 3 MB declaration of a million empty actions made a 680 MB message.
const maxListed = 25

// shapeErrs collects the model's constraint violations in AWS's classic wording: n of them,
// the first maxListed in list.
type shapeErrs struct {
	list []string
	n    int
}

// str is a string member's constraints from the model.
type str struct {
	required bool
	min, max int // max 0 means unbounded
	pattern  *Pattern
	enum     []string
}

// Pattern is a model pattern: the text AWS quotes in its messages and the regexp, anchored
// as Java's String.matches anchors it. The API checks its inputs' members with it too.
type Pattern struct {
	text string
	re   *regexp.Regexp
}

// NewPattern compiles a pattern of the model.
func NewPattern(text string) *Pattern {
	return &Pattern{text: text, re: regexp.MustCompile(`^(?:` + text + `)$`)}
}

// Match reports whether the whole of v matches.
func (p *Pattern) Match(v string) bool { return p.re.MatchString(v) }

// String is the pattern as the model (and AWS's messages) write it.
func (p *Pattern) String() string { return p.text }

var (
	namePattern      = NewPattern(`[A-Za-z0-9.@\-_]+`) // PipelineName, StageName, ActionName, RuleName
	namespacePattern = NewPattern(`[A-Za-z0-9@\-_]+`)  // ActionNamespace, PipelineVariableName
	artifactPattern  = NewPattern(`[a-zA-Z0-9_\-]+`)
	providerPattern  = NewPattern(`[0-9A-Za-z_-]+`) // ActionProvider, RuleProvider, Version
	locationPattern  = NewPattern(`[a-zA-Z0-9\-\.]+`)
	envNamePattern   = NewPattern(`[A-Za-z0-9_]+`)
)

// err returns the collected violations as one ValidationException, or nil.
func (s *shapeErrs) err() *sluice.Error {
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
func (s *shapeErrs) fail(value, path, constraint string) {
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
func (s *shapeErrs) null(path string) { s.fail("null", path, "Member must not be null") }

// str checks a string member. The empty string stands for an absent member: Go cannot tell
// them apart once decoded, and re-encoding drops it.
func (s *shapeErrs) str(path, v string, c str) {
	if v == "" {
		if c.required {
			s.null(path)
		}
		return
	}
	s.present(path, v, c)
}

// present checks a string member that is known to be present, even if empty.
func (s *shapeErrs) present(path, v string, c str) {
	if c.enum != nil {
		if !contains(c.enum, v) {
			s.fail(quote(v), path, "Member must satisfy enum value set: ["+strings.Join(c.enum, ", ")+"]")
		}
		return
	}
	n := length(v)
	if c.max > 0 && n > c.max {
		s.fail(quote(v), path, fmt.Sprintf("Member must have length less than or equal to %d", c.max))
	}
	if n < c.min {
		s.fail(quote(v), path, fmt.Sprintf("Member must have length greater than or equal to %d", c.min))
	}
	if c.pattern != nil && !c.pattern.Match(v) {
		s.fail(quote(v), path, "Member must satisfy regular expression pattern: "+c.pattern.String())
	}
}

// num checks an optional integer member; 0 stands for absent.
func (s *shapeErrs) num(path string, v, lo, hi int) {
	switch {
	case v == 0:
	case v < lo:
		s.fail(quote(fmt.Sprint(v)), path, fmt.Sprintf("Member must have value greater than or equal to %d", lo))
	case hi > 0 && v > hi:
		s.fail(quote(fmt.Sprint(v)), path, fmt.Sprintf("Member must have value less than or equal to %d", hi))
	}
}

// size checks a list's length. An empty list stands for an absent one (Go cannot tell them
// apart and the JSON encoders drop it), so a minimum of 1 never fails here.
func (s *shapeErrs) size(path string, n, hi int) {
	if hi > 0 && n > hi {
		s.fail("", path, fmt.Sprintf("Member must have length less than or equal to %d", hi))
	}
}

// strs checks every string of a list member, with 1-based "N.member" paths.
func (s *shapeErrs) strs(path string, vs []string, hi int, c str) {
	s.size(path, len(vs), hi)
	for i, v := range vs {
		s.present(member(path, i), v, c)
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

// stringMap checks a map of strings: at most maxEntries entries (0: unbounded), keys of
// 1..keyMax and values of 1..valueMax characters. Like AWS it reports one violation for all
// keys and one for all values, without showing them (configuration may hold secrets).
func (s *shapeErrs) stringMap(path string, m map[string]string, maxEntries, keyMax, valueMax int) {
	if maxEntries > 0 && len(m) > maxEntries {
		s.fail("", path, fmt.Sprintf("Member must have length less than or equal to %d", maxEntries))
	}
	badKey, badValue := false, false
	for k, v := range m {
		badKey = badKey || outside(k, 1, keyMax)
		badValue = badValue || outside(v, 1, valueMax)
	}
	if badKey {
		s.fail("", path, "Map keys must satisfy constraint: "+bounds(1, keyMax))
	}
	if badValue {
		s.fail("", path, "Map value must satisfy constraint: "+bounds(1, valueMax))
	}
}

func outside(v string, lo, hi int) bool {
	n := length(v)
	return n < lo || n > hi
}

func bounds(lo, hi int) string {
	return fmt.Sprintf("[Member must have length less than or equal to %d, Member must have length greater than or equal to %d]", hi, lo)
}
