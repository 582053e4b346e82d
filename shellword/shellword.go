// Package shellword makes text safe to splice into a POSIX shell script: one quoted word,
// and the names a shell takes for variables.
package shellword

import "strings"

// Quote makes s one single-quoted shell word.
func Quote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// IsName reports whether s is a shell variable name: letters, digits and '_', not
// starting with a digit.
func IsName(s string) bool {
	for i, c := range s {
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return s != ""
}
