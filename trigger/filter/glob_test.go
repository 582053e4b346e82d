package filter_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"sluice/trigger/filter"
)

// TestGlobMatch follows Java's PathMatcher "glob" syntax case by case.
func TestGlobMatch(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		pattern string
		name    string
		want    bool
	}{
		// * stays within a segment, ** crosses segments.
		{"*.java", "Foo.java", true},
		{"*.java", "src/Foo.java", false},
		{"*", "", true},
		{"*", "main", true},
		{"*", "release/1.2", false},
		{"**", "a/b/c", true},
		{"**.java", "src/a/Foo.java", true},
		{"**/*.java", "src/Foo.java", true},
		{"**/*.java", "a/b/Foo.java", true},
		{"**/*.java", "Foo.java", false}, // Java: **/ needs a '/' to match
		{"**/README.md", "README.md", false},
		{"**/README.md", "docs/README.md", true},
		{"src/**", "src/a/b.go", true},
		{"src/**", "src/", true},
		{"src/**", "src", false},
		{"src/*", "src/a", true},
		{"src/*", "src/a/b", false},
		{"*/**", "a/b", true},
		{"*/**", "a", false},
		{"feature/**", "feature/x/y", true},
		{"feature/**", "feature", false},
		{"release/*", "release/1.2", true},
		{"release/*", "release/1/2", false},
		{"common/**/*.js", "common/a/b.js", true},
		{"common/**/*.js", "common/b.js", false},
		// ? is one character, not '/'.
		{"foo.?", "foo.c", true},
		{"foo.?", "foo.cc", false},
		{"foo.?", "foo.", false},
		{"a?b", "a/b", false},
		{"?", "é", true},
		{"é?", "éa", true},
		// Groups.
		{"*.{java,class}", "A.class", true},
		{"*.{java,class}", "A.jar", false},
		{"{main,release/*}", "main", true},
		{"{main,release/*}", "release/1.2", true},
		{"{main,release/*}", "release/1/2", false},
		{"{a,}b", "b", true},
		{"{a,}b", "ab", true},
		{"{a*,b?}", "bz", true},
		{"{a*,b?}", "bzz", false},
		{"a,b", "a,b", true}, // a comma outside a group is literal
		{"a}", "a}", true},   // so is an unmatched '}'
		// Classes: '!' negates, '^' first is literal, '-' first or last is literal, never '/'.
		{"[abc]", "b", true},
		{"[abc]", "d", false},
		{"[!abc]", "d", true},
		{"[!abc]", "a", false},
		{"[!abc]", "/", false},
		{"[a-c]x", "bx", true},
		{"[a-c]x", "dx", false},
		{"[a-a]", "a", true},
		{"[-a]", "-", true},
		{"[-]", "-", true},
		{"[a-]", "-", true},
		{"[a-]", "a", true},
		{"[!-a]", "-", false},
		{"[!-a]", "b", true},
		{"[^a]", "^", true},
		{"[^a]", "a", true},
		{"[^a]", "b", false},
		{"[+-9]", "+", true},
		{"[+-9]", ".", true},
		{"[+-9]", "5", true},
		{"[+-9]", "/", false}, // a range spanning '/' still excludes it
		{`[\]`, `\`, true},    // '\' is literal inside a class
		{"[[]", "[", true},
		{"release-v[0-9]*", "release-v1.2", true},
		{"release-v[0-9]*", "release-vx", false},
		// Escapes and characters that are special to regular expressions.
		{`\*`, "*", true},
		{`\*`, "a", false},
		{`\{a,b\}`, "{a,b}", true},
		{`\\`, `\`, true},
		{`a\/b`, "a/b", true},
		{`\[a]`, "[a]", true},
		{"a.b", "axb", false},
		{"a.b", "a.b", true},
		{"a+b", "a+b", true},
		{"(x)|^$", "(x)|^$", true},
		// Whole names only, case-sensitive.
		{"main", "main2", false},
		{"main", "xmain", false},
		{"Main", "main", false},
	} {
		t.Run(tc.pattern+"~"+tc.name, func(t *testing.T) {
			t.Parallel()
			g, err := filter.CompileGlob(tc.pattern)
			require.NoError(t, err)
			require.Equal(t, tc.want, g.Match(tc.name))
			require.Equal(t, tc.pattern, g.String())
		})
	}
}

func TestGlobInvalid(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		pattern string
		why     string
	}{
		{`abc\`, "no character to escape"},
		{"[abc", "missing ']'"},
		{"[a-", "missing ']'"},
		{"[]", "empty character class"},
		{"[!]", "empty character class"},
		{"[a/b]", "'/' in character class"},
		{"[z-a]", "invalid range"},
		{"[a-c-e]", "invalid range"},
		{"[^-a]", "invalid range"}, // as in Java: a literal '^' does not start a range
		{"{a,{b}}", "cannot nest"},
		{"{a,b", "missing '}'"},
	} {
		t.Run(tc.pattern, func(t *testing.T) {
			t.Parallel()
			_, err := filter.CompileGlob(tc.pattern)
			require.ErrorContains(t, err, tc.why)
			require.ErrorContains(t, err, tc.pattern)
		})
	}
}
