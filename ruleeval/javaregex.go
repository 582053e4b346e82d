package ruleeval

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"

	"sluice"
)

// compileJava compiles a VariableCheck MATCHES pattern, written in Java's regex syntax (as
// CodePipeline documents), for a whole-value match. The syntax Go's regexp shares is passed
// on; Java spellings Go writes differently are rewritten (\uFFFF, \0oct, \e, \cX, \p{Alpha},
// inline flags d and u); what Go cannot run (look-around, back-references, possessive and
// atomic groups, nested classes) is refused by name, never silently read another way.
func compileJava(pattern string) (*regexp.Regexp, error) {
	t := &translator{src: []rune(pattern)}
	for t.i < len(t.src) {
		if err := t.step(); err != nil {
			return nil, badPattern(pattern, err)
		}
	}
	// Compiled alone first: "a)(b" must fail, not pair up with the anchoring group.
	if _, err := regexp.Compile(t.out.String()); err != nil {
		return nil, badPattern(pattern, errors.New(strings.TrimPrefix(err.Error(), "error parsing regexp: ")))
	}
	re, err := regexp.Compile(`\A(?:` + t.out.String() + `)\z`)
	if err != nil {
		return nil, badPattern(pattern, errors.New(strings.TrimPrefix(err.Error(), "error parsing regexp: ")))
	}
	return re, nil
}

func badPattern(pattern string, why error) error {
	return sluice.Errorf(sluice.EInvalid, "", "Value '%s' is not a MATCHES pattern Sluice can run: %v", pattern, why)
}

// translator rewrites a Java pattern into Go's syntax, one construct per step.
type translator struct {
	src   []rune
	i     int
	out   strings.Builder
	class bool // inside [...]
}

func (t *translator) peek(k int) rune {
	if t.i+k < len(t.src) {
		return t.src[t.i+k]
	}
	return 0
}

func (t *translator) has(prefix string) bool {
	for k, c := range []rune(prefix) {
		if t.peek(k) != c {
			return false
		}
	}
	return true
}

func (t *translator) emit(s string, advance int) {
	t.out.WriteString(s)
	t.i += advance
}

func (t *translator) step() error {
	c := t.src[t.i]
	switch {
	case c == '\\':
		return t.escape()
	case t.class:
		return t.classChar(c)
	case c == '[':
		t.openClass()
	case c == '(':
		return t.group()
	case c == '{':
		return t.repeat()
	case c == '*' || c == '+' || c == '?':
		t.emit(string(c), 1)
		return t.notPossessive()
	default:
		t.emit(string(c), 1)
	}
	return nil
}

func (t *translator) notPossessive() error {
	if t.peek(0) == '+' {
		return errors.New("possessive quantifiers (a*+, a++, a?+, a{2}+) are not supported; drop the last +")
	}
	return nil
}

func (t *translator) openClass() {
	t.class = true
	t.emit("[", 1)
	if t.peek(0) == '^' {
		t.emit("^", 1)
	}
	if t.peek(0) == ']' { // a ] right after [ or [^ is a literal in both
		t.emit(`\]`, 1)
	}
}

func (t *translator) classChar(c rune) error {
	switch {
	case c == '[':
		return errors.New("nested classes and class unions such as [a-c[x-z]] are not supported; list the ranges in one class, [a-cx-z]")
	case c == '&' && t.peek(1) == '&':
		return errors.New("class intersections (&&) are not supported")
	case c == ']':
		t.class = false
	}
	t.emit(string(c), 1)
	return nil
}

// repeatCount is a Java repetition {n}, {n,} or {n,m}.
var repeatCount = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\{\d+(,\d*)?\}`) })

// repeat passes on a repetition; a { that starts none is an error in Java (Go would read it
// as a literal), so it is refused rather than read differently.
func (t *translator) repeat() error {
	m := repeatCount().FindString(string(t.src[t.i:min(t.i+64, len(t.src))])) // any count Go can take fits
	if m == "" {
		return errors.New("a { that starts no repetition {n}, {n,} or {n,m}; write \\{ for a literal brace")
	}
	t.emit(m, len([]rune(m)))
	return t.notPossessive()
}

// groupRefusals are the group openings Go's regexp has no counterpart for.
var groupRefusals = []struct{ prefix, why string }{
	{"(?=", "lookahead (?=...) is not supported"},
	{"(?!", "negative lookahead (?!...) is not supported"},
	{"(?<=", "lookbehind (?<=...) is not supported"},
	{"(?<!", "negative lookbehind (?<!...) is not supported"},
	{"(?>", "atomic groups (?>...) are not supported"},
}

func (t *translator) group() error {
	switch {
	case t.peek(1) != '?':
		t.emit("(", 1)
		return nil
	case t.has("(?:"), t.has("(?<") && !t.has("(?<=") && !t.has("(?<!"):
		t.emit(string(t.src[t.i:t.i+3]), 3) // non-capturing and named groups read alike
		return nil
	}
	for _, r := range groupRefusals {
		if t.has(r.prefix) {
			return errors.New(r.why)
		}
	}
	return t.flags()
}

// flags rewrites inline flags (?idmsux-idmsux) and (?flags:...): i, m and s mean the same in
// Go; d (Unix lines) and u (Unicode case) need no counterpart; x and U have none.
func (t *translator) flags() error {
	var keep strings.Builder
	for k := 2; ; k++ {
		switch c := t.peek(k); c {
		case 'i', 'm', 's', '-':
			keep.WriteRune(c)
		case 'd', 'u':
		case ')', ':':
			t.emitFlags(strings.TrimSuffix(keep.String(), "-"), c)
			t.i += k + 1
			return nil
		case 'x':
			return errors.New("comments mode (?x) is not supported; remove the spaces and comments")
		case 'U':
			return errors.New("flag (?U) is not supported (Go reads it as ungreedy)")
		default:
			return fmt.Errorf("unknown group construct (?%c", c)
		}
	}
}

func (t *translator) emitFlags(flags string, end rune) {
	switch {
	case end == ':' && (flags == "" || flags == "-"):
		t.out.WriteString("(?:")
	case end == ':':
		t.out.WriteString("(?" + flags + ":")
	case flags != "" && flags != "-":
		t.out.WriteString("(?" + flags + ")")
	}
}
