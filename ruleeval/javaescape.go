package ruleeval

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// escapeRefusals are Java escapes Go's regexp has no counterpart for (or reads differently).
var escapeRefusals = map[rune]string{
	'k': `named back-references \k<name> are not supported`,
	'Z': `\Z is not supported; use \z or $`,
	'G': `\G is not supported`,
	'R': `\R (any line break) is not supported; use (?:\r\n|[\n\v\f\r\x{85}\x{2028}\x{2029}])`,
	'X': `\X (a grapheme cluster) is not supported`,
	'h': `\h (horizontal whitespace) is not supported; list the characters in a class`,
	'H': `\H is not supported; list the characters in a negated class`,
	'v': `\v (vertical whitespace in Java, a vertical tab in Go) is not supported; list the characters in a class`,
	'V': `\V is not supported; list the characters in a negated class`,
}

// escape translates one backslash construct.
func (t *translator) escape() error {
	c := t.peek(1)
	if c == 0 {
		return errors.New("the pattern ends with a lone backslash")
	}
	if why, ok := escapeRefusals[c]; ok {
		return errors.New(why)
	}
	switch {
	case c >= '1' && c <= '9':
		return fmt.Errorf(`back-references such as \%c are not supported`, c)
	case c == '0':
		return t.octal()
	case c == 'u':
		return t.unicode()
	case c == 'e':
		t.emit(`\x{1B}`, 2)
	case c == 'c':
		return t.control()
	case c == 'p' || c == 'P':
		return t.property(c == 'P')
	case c == 'Q':
		t.quote()
	case c == 's' || c == 'S':
		t.space(c == 'S')
	default:
		t.emit(`\`+string(c), 2) // the same in Go, or refused by Go's compiler by name
	}
	return nil
}

// octal reads Java's \0n, \0nn and \0mnn (m <= 3); Go's \0 takes fewer digits.
func (t *translator) octal() error {
	digits := ""
	for k := 2; k < 5 && len(digits) < 3; k++ {
		c := t.peek(k)
		if c < '0' || c > '7' || (len(digits) == 2 && digits[0] > '3') {
			break
		}
		digits += string(c)
	}
	if digits == "" {
		return errors.New(`\0 must be followed by octal digits`)
	}
	v, _ := strconv.ParseUint(digits, 8, 32)
	t.emit(fmt.Sprintf(`\x{%X}`, v), 2+len(digits))
	return nil
}

func (t *translator) unicode() error {
	if t.i+6 > len(t.src) {
		return errors.New(`\u must be followed by four hex digits`)
	}
	hex := string(t.src[t.i+2 : t.i+6])
	if _, err := strconv.ParseUint(hex, 16, 32); err != nil {
		return errors.New(`\u must be followed by four hex digits`)
	}
	t.emit(`\x{`+hex+`}`, 6)
	return nil
}

func (t *translator) control() error {
	c := t.peek(2)
	if c == 0 || c > 127 {
		return errors.New(`\c must be followed by an ASCII character`)
	}
	t.emit(fmt.Sprintf(`\x{%X}`, c^64), 3)
	return nil
}

// quote passes on \Q...\E as escaped characters, so that - stays literal inside a class.
func (t *translator) quote() {
	t.i += 2
	for t.i < len(t.src) && !t.has(`\E`) {
		c := t.src[t.i]
		if c < 128 && strings.ContainsRune(`\.+*?()|[]{}^$-&#~ `, c) {
			t.out.WriteRune('\\')
		}
		t.emit(string(c), 1)
	}
	if t.has(`\E`) {
		t.i += 2
	}
}

// space writes Java's \s, which (unlike Go's) includes the vertical tab.
func (t *translator) space(negated bool) {
	switch {
	case t.class && negated:
		t.emit(`\S`, 2) // Go's \S in a class: all but the vertical tab agree
	case t.class:
		t.emit(`\t-\r `, 2)
	case negated:
		t.emit(`[^\t-\r ]`, 2)
	default:
		t.emit(`[\t-\r ]`, 2)
	}
}
