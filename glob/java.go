package glob

import (
	"fmt"
	"regexp"
	"strings"
)

// compileJava translates a Java pattern to a regular expression, mirroring java.nio's
// Globs.toRegexPattern rule for rule so edge cases behave as they do there.
func compileJava(pattern string) (*regexp.Regexp, error) {
	expr, err := globRegexp([]rune(pattern))
	if err != nil {
		return nil, fmt.Errorf("glob %q: %w", pattern, err)
	}
	return regexp.MustCompile(expr), nil
}

func globRegexp(p []rune) (string, error) {
	var b strings.Builder
	b.WriteString("^")
	inGroup := false
	for i := 0; i < len(p); i++ {
		switch c := p[i]; c {
		case '\\':
			if i+1 == len(p) {
				return "", fmt.Errorf("no character to escape at %d", i)
			}
			i++
			b.WriteString(regexp.QuoteMeta(string(p[i])))
		case '[':
			next, err := globClass(&b, p, i+1)
			if err != nil {
				return "", err
			}
			i = next
		case '{':
			if inGroup {
				return "", fmt.Errorf("groups cannot nest, at %d", i)
			}
			b.WriteString("(?:")
			inGroup = true
		case '}':
			if inGroup {
				b.WriteString(")")
				inGroup = false
			} else {
				b.WriteString(`\}`)
			}
		case ',':
			if inGroup {
				b.WriteString("|")
			} else {
				b.WriteString(",")
			}
		case '*':
			if i+1 < len(p) && p[i+1] == '*' {
				b.WriteString(".*")
				i++
			} else {
				b.WriteString("[^/]*")
			}
		case '?':
			b.WriteString("[^/]")
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	if inGroup {
		return "", fmt.Errorf("missing '}'")
	}
	b.WriteString("$")
	return b.String(), nil
}

// globClass translates the class starting after the '[' at p[i-1] and returns the index of
// its closing ']'. As in Java: a leading '!' negates, a leading '^' is literal, '-' is
// literal first or last, '\' is literal inside a class, and '/' may not appear.
func globClass(b *strings.Builder, p []rune, i int) (int, error) {
	start := i - 1
	negate := false
	var ranges [][2]rune
	if i < len(p) && p[i] == '^' {
		ranges = append(ranges, [2]rune{'^', '^'})
		i++
	} else {
		if i < len(p) && p[i] == '!' {
			negate = true
			i++
		}
		if i < len(p) && p[i] == '-' {
			ranges = append(ranges, [2]rune{'-', '-'})
			i++
		}
	}
	hasRangeStart := false
	for ; i < len(p); i++ {
		c := p[i]
		switch {
		case c == ']':
			if len(ranges) == 0 {
				return 0, fmt.Errorf("empty character class at %d", start)
			}
			writeClass(b, negate, ranges)
			return i, nil
		case c == '/':
			return 0, fmt.Errorf("explicit '/' in character class at %d", i)
		case c == '-':
			if !hasRangeStart {
				return 0, fmt.Errorf("invalid range at %d", i)
			}
			if i+1 == len(p) || p[i+1] == ']' { // a trailing '-' is literal
				ranges = append(ranges, [2]rune{'-', '-'})
				continue
			}
			i++
			last := &ranges[len(ranges)-1]
			if p[i] < last[0] {
				return 0, fmt.Errorf("invalid range at %d", i-2)
			}
			last[1] = p[i]
			hasRangeStart = false
		default:
			ranges = append(ranges, [2]rune{c, c})
			hasRangeStart = true
		}
	}
	return 0, fmt.Errorf("missing ']' for the class at %d", start)
}

// writeClass writes a regexp class that, like Java's [[^/]&&[...]], never matches '/'.
func writeClass(b *strings.Builder, negate bool, ranges [][2]rune) {
	b.WriteString("[")
	if negate {
		b.WriteString("^/")
	}
	for _, r := range ranges {
		lo, hi := r[0], r[1]
		if !negate && lo <= '/' && '/' <= hi {
			if lo < '/' {
				writeRange(b, lo, '/'-1)
			}
			if hi > '/' {
				writeRange(b, '/'+1, hi)
			}
			continue
		}
		writeRange(b, lo, hi)
	}
	b.WriteString("]")
}

func writeRange(b *strings.Builder, lo, hi rune) {
	fmt.Fprintf(b, `\x{%x}`, lo)
	if hi != lo {
		fmt.Fprintf(b, `-\x{%x}`, hi)
	}
}
