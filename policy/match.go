package policy

import "strings"

// Match reports whether s matches the glob pattern: '*' matches any run of characters
// (including '/' and ':'), '?' exactly one, and '\' makes the next character literal (how
// Expand keeps the '*' of ${*} or of a variable's value from acting as a wildcard). The
// comparison is case-sensitive, as IAM compares resources. It takes O(len(pattern)*len(s))
// time at worst, never exponential.
func Match(pattern, s string) bool {
	p, i := 0, 0
	star, mark := -1, 0
	for i < len(s) {
		if p < len(pattern) {
			switch c := pattern[p]; c {
			case '*':
				star, mark = p, i
				p++
				continue
			case '?':
				p++
				i++
				continue
			case '\\':
				if p+1 < len(pattern) && pattern[p+1] == s[i] {
					p += 2
					i++
					continue
				}
			default:
				if c == s[i] {
					p++
					i++
					continue
				}
			}
		}
		if star < 0 {
			return false
		}
		p, mark = star+1, mark+1
		i = mark
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

// MatchAction is Match for actions ("codepipeline:Get*"), which IAM compares without case.
func MatchAction(pattern, action string) bool {
	return Match(strings.ToLower(pattern), strings.ToLower(action))
}

// escape makes s match itself literally as a pattern.
func escape(s string) string {
	if !strings.ContainsAny(s, `*?\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '*' || c == '?' || c == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
