package ruleeval

import (
	"errors"
	"strings"
)

// posixClasses are Java's US-ASCII \p{...} classes and their Go names.
var posixClasses = map[string]string{
	"Lower": "lower", "Upper": "upper", "ASCII": "ascii", "Alpha": "alpha", "Digit": "digit",
	"Alnum": "alnum", "Punct": "punct", "Graph": "graph", "Print": "print", "Blank": "blank",
	"Cntrl": "cntrl", "XDigit": "xdigit", "Space": "space",
}

// property translates \p{Name}, \P{Name} and \pL. Java's POSIX names become Go's ASCII
// classes; categories and scripts (with Java's Is, gc= and sc= spellings) pass on as Go's
// \p{...}, whose compiler refuses any name it does not know.
func (t *translator) property(negated bool) error {
	name, width := t.propertyName()
	if name == "" {
		return errors.New(`\p must be followed by a name, as in \p{Lu} or \pL`)
	}
	if strings.HasPrefix(name, "In") {
		return errors.New(`Unicode blocks (\p{InGreek}) are not supported; use a script such as \p{Greek}`)
	}
	for _, prefix := range []string{"general_category=", "gc=", "script=", "sc=", "Is"} {
		name = strings.TrimPrefix(name, prefix)
	}
	if posix, ok := posixClasses[name]; ok {
		t.emit(posixClass(posix, negated, t.class), width)
		return nil
	}
	p := `\p{`
	if negated {
		p = `\P{`
	}
	t.emit(p+name+"}", width)
	return nil
}

// propertyName reads the name after \p and how many runes the whole construct takes.
func (t *translator) propertyName() (string, int) {
	if t.peek(2) != '{' {
		if c := t.peek(2); c != 0 {
			return string(c), 3
		}
		return "", 0
	}
	for end := t.i + 3; end < len(t.src); end++ {
		if t.src[end] == '}' {
			name := string(t.src[t.i+3 : end])
			return name, 4 + end - (t.i + 3)
		}
	}
	return "", 0
}

func posixClass(name string, negated, inClass bool) string {
	switch {
	case inClass && negated:
		return "[:^" + name + ":]"
	case inClass:
		return "[:" + name + ":]"
	case negated:
		return "[^[:" + name + ":]]"
	}
	return "[[:" + name + ":]]"
}
