package ruleeval_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/ruleeval"
)

func TestCheck(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, value, op, expected string
		want                      bool
	}{
		{"EQ", "MyDemoRepo", "EQ", "MyDemoRepo", true},
		{"EQCaseSensitive", "mydemorepo", "EQ", "MyDemoRepo", false},
		{"EQEmpty", "", "EQ", "", true},
		{"NE", "main", "NE", "release", true},
		{"NESame", "main", "NE", "main", false},
		{"CONTAINS", "feature/login", "CONTAINS", "login", true},
		{"CONTAINSNot", "feature/login", "CONTAINS", "Login", false},
		{"CONTAINSEmpty", "anything", "CONTAINS", "", true},
		{"MATCHESWholeValue", "main", "MATCHES", "main", true},
		{"MATCHESNotAPart", "xmainx", "MATCHES", "main", false},
		{"MATCHESPartWithDots", "xmainx", "MATCHES", ".*main.*", true},
		{"MATCHESAlternationWhole", "mainly", "MATCHES", "main|release", false},
		{"MATCHESPrefix", "release/1.2", "MATCHES", `release/\d+\.\d+`, true},
		{"MATCHESCaseFlag", "MAIN", "MATCHES", "(?i)main", true},
		{"MATCHESScopedFlag", "MAINx", "MATCHES", "(?i:main)x", true},
		{"MATCHESScopedFlagEnds", "MAINX", "MATCHES", "(?i:main)x", false},
		{"MATCHESFlagsDandU", "é", "MATCHES", "(?du)é", true},
		{"MATCHESFlagsOff", "aB", "MATCHES", "(?i)a(?-i)B", true},
		{"MATCHESRepeat", "aa", "MATCHES", "a{2,3}", true},
		{"MATCHESRepeatTooMany", "aaaa", "MATCHES", "a{2,3}", false},
		{"MATCHESLazy", "aaa", "MATCHES", "a+?a", true},
		{"MATCHESNamedGroup", "feature/login", "MATCHES", `feature/(?<name>\w+)`, true},
		{"MATCHESPosixLower", "abc", "MATCHES", `\p{Lower}+`, true},
		{"MATCHESPosixNotUpper", "abc", "MATCHES", `\P{Upper}+`, true},
		{"MATCHESPosixInClass", "A1B2", "MATCHES", `[\p{Upper}\p{Digit}]+`, true},
		{"MATCHESCategory", "Été", "MATCHES", `\p{Lu}\p{L}+`, true},
		{"MATCHESCategoryIs", "Été", "MATCHES", `\p{IsLu}\p{IsL}+`, true},
		{"MATCHESCategoryShort", "x", "MATCHES", `\pL`, true},
		{"MATCHESScript", "αβ", "MATCHES", `\p{IsGreek}+`, true},
		{"MATCHESUnicodeEscape", "été", "MATCHES", `\u00e9t\u00E9`, true},
		{"MATCHESOctal", "A", "MATCHES", `\0101`, true},
		{"MATCHESOctalShort", "\x07", "MATCHES", `\07`, true},
		{"MATCHESEscapeChar", "\x1b[0m", "MATCHES", `\e\[0m`, true},
		{"MATCHESControl", "\x01", "MATCHES", `\cA`, true},
		{"MATCHESHex", "A", "MATCHES", `\x41`, true},
		{"MATCHESQuote", "a.b", "MATCHES", `\Qa.b\E`, true},
		{"MATCHESQuoteLiteralDot", "axb", "MATCHES", `\Qa.b\E`, false},
		{"MATCHESQuoteInClassDash", "-", "MATCHES", `[\Qa-z\E]`, true},
		{"MATCHESQuoteInClassNoRange", "b", "MATCHES", `[\Qa-z\E]`, false},
		{"MATCHESQuoteUnterminated", "a+", "MATCHES", `\Qa+`, true},
		{"MATCHESSpaceIncludesVerticalTab", "\v", "MATCHES", `\s`, true},
		{"MATCHESSpaceInClass", "\v", "MATCHES", `[\s]`, true},
		{"MATCHESNotSpace", "\v", "MATCHES", `\S`, false},
		{"MATCHESLeadingBracket", "]", "MATCHES", `[]a]`, true},
		{"MATCHESNegatedClass", "b", "MATCHES", `[^a]`, true},
		{"MATCHESLiteralBrace", "{x}", "MATCHES", `\{x}`, true},
		{"MATCHESAnchors", "main", "MATCHES", `^main$`, true},
		{"MATCHESMultiline", "a\nb", "MATCHES", `(?s)a.b`, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.NoError(t, ruleeval.ValidateCheck(tc.op, tc.expected))
			got, err := ruleeval.Check(tc.value, tc.op, tc.expected)
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}

func TestValidateCheck(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, op, expected, text string }{
		{"OKVariableInPattern", "MATCHES", "#{SourceVariables.BranchName}", ""},
		{"ErrOperatorCase", "eq", "x", "Operator 'eq' is not a VariableCheck operator; use EQ, NE, CONTAINS or MATCHES"},
		{"ErrOperatorUnknown", "GT", "x", "Operator 'GT'"},
		{"ErrOperatorEmpty", "", "x", "Operator ''"},
		{"ErrLookahead", "MATCHES", "(?=a)a", "lookahead (?=...) is not supported"},
		{"ErrNegativeLookahead", "MATCHES", "(?!a).", "negative lookahead"},
		{"ErrLookbehind", "MATCHES", "(?<=a)b", "lookbehind (?<=...) is not supported"},
		{"ErrNegativeLookbehind", "MATCHES", "(?<!a)b", "negative lookbehind"},
		{"ErrAtomic", "MATCHES", "(?>a+)b", "atomic groups"},
		{"ErrPossessiveStar", "MATCHES", "a*+", "possessive quantifiers"},
		{"ErrPossessivePlus", "MATCHES", "a++", "possessive quantifiers"},
		{"ErrPossessiveRepeat", "MATCHES", "a{2}+", "possessive quantifiers"},
		{"ErrBackReference", "MATCHES", `(a)\1`, `back-references such as \1`},
		{"ErrNamedBackReference", "MATCHES", `(?<x>a)\k<x>`, `named back-references`},
		{"ErrNestedClass", "MATCHES", `[a-c[x-z]]`, "nested classes"},
		{"ErrIntersection", "MATCHES", `[a-z&&[^e]]`, "class intersections"},
		{"ErrEndBeforeTerminator", "MATCHES", `a\Z`, `use \z or $`},
		{"ErrHorizontalSpace", "MATCHES", `\h`, `\h (horizontal whitespace)`},
		{"ErrVerticalSpace", "MATCHES", `\v`, `\v (vertical whitespace`},
		{"ErrCommentsMode", "MATCHES", `(?x) a b`, "comments mode (?x)"},
		{"ErrUnicodeClassesFlag", "MATCHES", `(?U)\w`, "flag (?U)"},
		{"ErrUnknownGroup", "MATCHES", `(?P<x>a)`, "unknown group construct (?P"},
		{"ErrBraceNoRepeat", "MATCHES", `a{`, "a { that starts no repetition"},
		{"ErrBraceLetters", "MATCHES", `x{a}`, "a { that starts no repetition"},
		{"ErrBlock", "MATCHES", `\p{InGreek}`, "Unicode blocks"},
		{"ErrJavaProperty", "MATCHES", `\p{javaLowerCase}`, `\p{javaLowerCase}`},
		{"ErrUnbalancedGroups", "MATCHES", `a)(b`, "unexpected )"},
		{"ErrOpenGroup", "MATCHES", `(a`, "missing closing )"},
		{"ErrOpenClass", "MATCHES", `[abc`, "missing closing ]"},
		{"ErrLoneBackslash", "MATCHES", `a\`, "lone backslash"},
		{"ErrRepeatTooLarge", "MATCHES", `a{1001}`, "invalid repeat count"},
		{"ErrUnicodeEscape", "MATCHES", `\u12`, `\u must be followed by four hex digits`},
		{"ErrOctal", "MATCHES", `\09`, `\0 must be followed by octal digits`},
		{"ErrDangling", "MATCHES", `*a`, "missing argument to repetition operator"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := ruleeval.ValidateCheck(tc.op, tc.expected)
			if tc.text == "" {
				require.NoError(t, err)
				return
			}
			require.Equal(t, sluice.EInvalid, sluice.ErrorCode(err))
			require.ErrorContains(t, err, tc.text)
			if tc.op == "MATCHES" {
				require.ErrorContains(t, err, "Value '"+tc.expected+"' is not a MATCHES pattern")
			}
			_, runErr := ruleeval.Check("value", tc.op, tc.expected)
			require.Equal(t, err, runErr, "Check refuses what ValidateCheck refuses")
		})
	}
}

// FuzzCheck: any pattern is either refused with the same error by both functions or run.
func FuzzCheck(f *testing.F) {
	for _, s := range []string{`release/\d+`, `(?<=a)b`, `\Qa-z\E`, `[\p{Upper}\s]+`, `\0377\u00e9\cZ`, `(?i-d:x)`, `a{2,}+`, `\p{`} {
		f.Add(s, "release/12")
	}
	f.Fuzz(func(t *testing.T, pattern, value string) {
		verr := ruleeval.ValidateCheck("MATCHES", pattern)
		_, cerr := ruleeval.Check(value, "MATCHES", pattern)
		if verr != nil {
			require.Equal(t, verr, cerr)
		}
	})
}

// FuzzInWindow: any expression is refused by ValidateWindow or answered by InWindow, whose
// next opening is inside the window.
func FuzzInWindow(f *testing.F) {
	for _, s := range []string{workingHours, "0 0 * L-3 * ? *", "* 0/7 */5 ? * 2#3 2026/3", "0 0 * 15W * ? *"} {
		f.Add(s, "America/New_York", int64(1796000000))
	}
	f.Fuzz(func(t *testing.T, cron, zone string, unix int64) {
		if ruleeval.ValidateWindow(cron, zone) != nil {
			return
		}
		now := time.Unix(unix%4e9, 0) // 1970 to 2096
		inside, next, err := ruleeval.InWindow(cron, zone, now)
		require.NoError(t, err)
		if !inside && !next.IsZero() {
			require.True(t, next.After(now))
			in, _, _ := ruleeval.InWindow(cron, zone, next)
			require.True(t, in, "next opening %s", next)
		}
	})
}
