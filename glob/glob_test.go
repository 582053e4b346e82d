package glob_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"sluice/glob"
)

const java, files = glob.Java, glob.Files

// TestGlobMatch is the syntax of both dialects case by case: Java's PathMatcher "glob" for
// trigger filters, CodeBuild's artifact files globs for outputs. The same pattern on the
// same name may differ between them; the differences are listed together at the end.
func TestGlobMatch(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		dialect glob.Dialect
		pattern string
		name    string
		want    bool
	}{
		// Java (trigger filters).
		// * stays within a segment, ** crosses segments.
		{java, "*.java", "Foo.java", true},
		{java, "*.java", "src/Foo.java", false},
		{java, "*", "", true},
		{java, "*", "main", true},
		{java, "*", "release/1.2", false},
		{java, "**", "a/b/c", true},
		{java, "**.java", "src/a/Foo.java", true},
		{java, "**/*.java", "src/Foo.java", true},
		{java, "**/*.java", "a/b/Foo.java", true},
		{java, "**/*.java", "Foo.java", false}, // Java: **/ needs a '/' to match
		{java, "**/README.md", "README.md", false},
		{java, "**/README.md", "docs/README.md", true},
		{java, "src/**", "src/a/b.go", true},
		{java, "src/**", "src/", true},
		{java, "src/**", "src", false},
		{java, "src/*", "src/a", true},
		{java, "src/*", "src/a/b", false},
		{java, "*/**", "a/b", true},
		{java, "*/**", "a", false},
		{java, "feature/**", "feature/x/y", true},
		{java, "feature/**", "feature", false},
		{java, "release/*", "release/1.2", true},
		{java, "release/*", "release/1/2", false},
		{java, "common/**/*.js", "common/a/b.js", true},
		{java, "common/**/*.js", "common/b.js", false},
		// ? is one character, not '/'.
		{java, "foo.?", "foo.c", true},
		{java, "foo.?", "foo.cc", false},
		{java, "foo.?", "foo.", false},
		{java, "a?b", "a/b", false},
		{java, "?", "é", true},
		{java, "é?", "éa", true},
		// Groups.
		{java, "*.{java,class}", "A.class", true},
		{java, "*.{java,class}", "A.jar", false},
		{java, "{main,release/*}", "main", true},
		{java, "{main,release/*}", "release/1.2", true},
		{java, "{main,release/*}", "release/1/2", false},
		{java, "{a,}b", "b", true},
		{java, "{a,}b", "ab", true},
		{java, "{a*,b?}", "bz", true},
		{java, "{a*,b?}", "bzz", false},
		{java, "a,b", "a,b", true}, // a comma outside a group is literal
		{java, "a}", "a}", true},   // so is an unmatched '}'
		// Classes: '!' negates, '^' first is literal, '-' first or last is literal, never '/'.
		{java, "[abc]", "b", true},
		{java, "[abc]", "d", false},
		{java, "[!abc]", "d", true},
		{java, "[!abc]", "a", false},
		{java, "[!abc]", "/", false},
		{java, "[a-c]x", "bx", true},
		{java, "[a-c]x", "dx", false},
		{java, "[a-a]", "a", true},
		{java, "[-a]", "-", true},
		{java, "[-]", "-", true},
		{java, "[a-]", "-", true},
		{java, "[a-]", "a", true},
		{java, "[!-a]", "-", false},
		{java, "[!-a]", "b", true},
		{java, "[^a]", "^", true},
		{java, "[^a]", "a", true},
		{java, "[^a]", "b", false},
		{java, "[+-9]", "+", true},
		{java, "[+-9]", ".", true},
		{java, "[+-9]", "5", true},
		{java, "[+-9]", "/", false}, // a range spanning '/' still excludes it
		{java, `[\]`, `\`, true},    // '\' is literal inside a class
		{java, "[[]", "[", true},
		{java, "release-v[0-9]*", "release-v1.2", true},
		{java, "release-v[0-9]*", "release-vx", false},
		// Escapes and characters that are special to regular expressions.
		{java, `\*`, "*", true},
		{java, `\*`, "a", false},
		{java, `\{a,b\}`, "{a,b}", true},
		{java, `\\`, `\`, true},
		{java, `a\/b`, "a/b", true},
		{java, `\[a]`, "[a]", true},
		{java, "a.b", "axb", false},
		{java, "a.b", "a.b", true},
		{java, "a+b", "a+b", true},
		{java, "(x)|^$", "(x)|^$", true},
		// Whole names only, case-sensitive.
		{java, "main", "main2", false},
		{java, "main", "xmain", false},
		{java, "Main", "main", false},

		// Files (buildspec artifacts): an element ** matches any number of elements.
		{files, "*.txt", "a.txt", true},
		{files, "*.txt", "src/a.txt", false},
		{files, "**/*.go", "b.go", true}, // zero elements too
		{files, "**/*.go", "src/lib/util.go", true},
		{files, "src/**/*.txt", "src/lib/data.txt", true},
		{files, "src/**/*.txt", "src/data.txt", true},
		{files, "src/**/*.txt", "srcx/data.txt", false},
		{files, "dist/**", "dist", true},
		{files, "dist/**", "dist/assets/x.css", true},
		{files, "**", "a/b/c", true},
		{files, "**/**/x", "x", true},
		// A trailing '/' means everything below; "." and empty elements are dropped.
		{files, "dist/", "dist/app.js", true},
		{files, "dist/", "dist", true},
		{files, "", "anything/at/all", true},
		{files, "./dist//app.js", "dist/app.js", true},
		{files, "src/*", "src/main.go", true},
		{files, "src/*", "src/lib/util.go", false},
		{files, "a?c", "abc", true},
		{files, "a?c", "a/c", false},
		// Within an element, path.Match: '^' negates a class, '\' escapes, no groups.
		{files, "[^a]", "b", true},
		{files, "[^a]", "a", false},
		{files, `\*`, "*", true},
		{files, "{a,b}", "a", false},
		{files, "{a,b}", "{a,b}", true},

		// Where the dialects differ.
		{java, "**/*.go", "b.go", false},
		{files, "**/*.go", "b.go", true},
		{java, "src/**", "src", false},
		{files, "src/**", "src", true},
		{java, "**.go", "src/b.go", true},
		{files, "**.go", "src/b.go", false}, // ** inside an element is two stars
		{java, "[!a]", "b", true},
		{files, "[!a]", "b", false}, // '!' is literal
		{java, "[^a]", "b", false},  // '^' is literal
		{java, "{a,b}", "a", true},
		{java, "dist/", "dist/app.js", false},
	} {
		t.Run(tc.dialect.String()+":"+tc.pattern+"~"+tc.name, func(t *testing.T) {
			t.Parallel()
			g, err := glob.Compile(tc.pattern, tc.dialect)
			require.NoError(t, err)
			require.Equal(t, tc.want, g.Match(tc.name))
			require.Equal(t, tc.pattern, g.String())
		})
	}
}

func TestGlobInvalid(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		dialect glob.Dialect
		pattern string
		why     string
	}{
		{java, `abc\`, "no character to escape"},
		{java, "[abc", "missing ']'"},
		{java, "[a-", "missing ']'"},
		{java, "[]", "empty character class"},
		{java, "[!]", "empty character class"},
		{java, "[a/b]", "'/' in character class"},
		{java, "[z-a]", "invalid range"},
		{java, "[a-c-e]", "invalid range"},
		{java, "[^-a]", "invalid range"}, // as in Java: a literal '^' does not start a range
		{java, "{a,{b}}", "cannot nest"},
		{java, "{a,b", "missing '}'"},
		{files, "/abs/*", "must be relative"},
		{files, "a/../b", "must not leave the directory"},
		{files, "[abc", "syntax error in pattern"},
		{files, `abc\`, "syntax error in pattern"},
	} {
		t.Run(tc.pattern, func(t *testing.T) {
			t.Parallel()
			_, err := glob.Compile(tc.pattern, tc.dialect)
			require.ErrorContains(t, err, tc.why)
			require.ErrorContains(t, err, tc.pattern)
		})
	}
}

// TestGlobMayMatchBelow lets a walk skip the directories no Files pattern reaches; a Java
// pattern never rules a directory out.
func TestGlobMayMatchBelow(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		dialect glob.Dialect
		pattern string
		dir     []string
		want    bool
	}{
		{files, "src/**/*.txt", []string{"src", "lib"}, true},
		{files, "src/**/*.txt", []string{"node_modules"}, false},
		{files, "dist/app.js", []string{"dist"}, true},
		{files, "dist/app.js", []string{"dist", "assets"}, false},
		{files, "**/x", []string{"a", "b"}, true},
		{java, "src/*.go", []string{"node_modules"}, true},
	} {
		t.Run(tc.pattern, func(t *testing.T) {
			t.Parallel()
			g, err := glob.Compile(tc.pattern, tc.dialect)
			require.NoError(t, err)
			require.Equal(t, tc.want, g.MayMatchBelow(tc.dir))
		})
	}
}
