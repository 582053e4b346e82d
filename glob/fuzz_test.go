package glob_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"

	"sluice/glob"
)

// FuzzGlob: a pattern of either dialect compiles or fails with an error naming it; a
// compiled one matches a name as it matches the name's elements, a Files pattern that
// matches a path may match below each of its directories, and a pattern made of the name
// with every character escaped matches the name.
func FuzzGlob(f *testing.F) {
	for _, s := range [][2]string{
		{"*.java", "src/Foo.java"}, {"**/*.java", "Foo.java"}, {"src/**", "src"}, {"*.{java,class}", "A.class"},
		{"[!a-c]x", "dx"}, {"[^a]", "^"}, {"[a-]", "-"}, {"[z-a]", "z"}, {"{a,{b}}", "a"}, {`\`, `\`}, {"[/]", "/"},
		{"**/**/x", "x"}, {"dist/", "dist/app.js"}, {"./dist//app.js", "dist/app.js"}, {"a/../b", "b"}, {"/abs/*", "/abs/x"},
		{"[", "["}, {"é?", "éa"}, {"\xff*", "\xff"}, {"", ""}, {"**/a/**/a/**/b", "a/a/a/a/c"},
	} {
		f.Add(s[0], s[1], false)
		f.Add(s[0], s[1], true)
	}
	f.Fuzz(func(t *testing.T, pattern, name string, files bool) {
		d := glob.Java
		if files {
			d = glob.Files
		}
		p, err := glob.Compile(pattern, d)
		if err != nil {
			require.ErrorContains(t, err, "glob")
			return
		}
		elems := strings.Split(name, "/")
		matched := p.Match(name)
		require.Equal(t, matched, p.MatchElems(elems))
		if files && matched {
			for i := range elems {
				require.True(t, p.MayMatchBelow(elems[:i]), "%q matches %q but not below %q", pattern, name, elems[:i])
			}
		}
		if lit, ok := literal(name, files); ok {
			q, err := glob.Compile(lit, d)
			require.NoError(t, err, lit)
			require.True(t, q.Match(name), "%q does not match %q", lit, name)
		}
	})
}

// literal is a pattern matching exactly name, every character escaped, or false when the
// dialect has none: Files patterns drop empty and "." elements and refuse "..", and Go's
// path.Match, which Files elements follow, reads names by UTF-8 character.
func literal(name string, files bool) (string, bool) {
	var b strings.Builder
	for _, r := range name {
		if !(files && r == '/') {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	if !files {
		return b.String(), utf8.ValidString(name)
	}
	for _, e := range strings.Split(name, "/") {
		if e == "" || e == "." || e == ".." {
			return "", false
		}
	}
	return b.String(), utf8.ValidString(name)
}
