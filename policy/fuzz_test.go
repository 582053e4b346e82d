package policy_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice/policy"
)

// FuzzParse: any document is refused with MalformedPolicyDocument's text or parses into
// statements with an effect, actions and resources, which written back as JSON parse the
// same. Evaluating one against any request is deterministic and order-free, an explicit
// Deny of everything wins over it, and an Allow of everything leaves nothing denied by
// default.
func FuzzParse(f *testing.F) {
	for _, m := range policy.BuiltIn() {
		f.Add([]byte(m.Document), "codepipeline:GetPipeline", "arn:aws:codepipeline:us-east-1:123456789012:p", "aws:username", "alice")
	}
	for _, d := range []string{
		`{"Version":"2012-10-17","Statement":{"Effect":"Deny","NotAction":"iam:*","NotResource":["arn:aws:iam::*:user/${aws:username}"]}}`,
		`{"Version":"2012-10-17","Statement":[{"Sid":"a","Effect":"Allow","Action":"*","Resource":"*",` +
			`"Condition":{"ForAnyValue:StringLikeIfExists":{"aws:TagKeys":["t*",1,true]},"IpAddress":{"aws:SourceIp":"10.0.0.0/8"},` +
			`"NumericLessThan":{"aws:EpochTime":1.5e9},"DateGreaterThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"},"Null":{"aws:x":"true"},` +
			`"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:user/*"},"Bool":{"aws:SecureTransport":"false"}}}]}`,
		`{"Statement":[]}`, `{"Statement":{"Effect":"Allow","Action":[],"Resource":"*"}}`, `{"Version":"2008-10-17"} x`, `[]`, `null`,
		`{"Id":"x","Statement":{"Sid":"s","Effect":"Allow","Action":"a:b","Resource":"arn:*","Principal":"*"}}`,
		`{"Statement":[{"Sid":"s","Effect":"Allow","Action":"a:b","Resource":"*"},{"Sid":"s","Effect":"Deny","Action":"a:b","Resource":"*"}]}`,
	} {
		f.Add([]byte(d), "iam:GetUser", "*", "aws:SourceIp", "10.1.2.3")
	}
	allowAll, denyAll := parsedDoc(f, `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`),
		parsedDoc(f, `{"Statement":{"Effect":"Deny","Action":"*","Resource":"*"}}`)
	f.Fuzz(func(t *testing.T, doc []byte, action, resource, key, value string) {
		d, err := policy.Parse(doc)
		if err != nil {
			var me *policy.MalformedError
			require.True(t, errors.As(err, &me), "not a MalformedError: %v", err)
			require.NotEmpty(t, me.Message)
			return
		}
		for _, st := range d.Statements {
			require.Contains(t, []policy.Effect{policy.Allow, policy.Deny}, st.Effect)
			require.NotEmpty(t, st.Actions)
			require.NotEmpty(t, st.Resources)
		}
		out, err := json.Marshal(written(d))
		require.NoError(t, err)
		again, err := policy.Parse(out)
		require.NoError(t, err, "%s", out)
		require.Equal(t, d, again, "%s", out)

		ctx := policy.Context{}
		ctx.Set(key, value)
		r := policy.Request{Action: action, Resource: resource, Context: ctx}
		got := policy.Evaluate(r, d)
		require.Contains(t, []policy.Decision{policy.ImplicitDeny, policy.Allowed, policy.ExplicitDeny}, got)
		require.Equal(t, got, policy.Evaluate(r, again))
		require.Equal(t, policy.Evaluate(r, d, allowAll), policy.Evaluate(r, allowAll, d))
		require.NotEqual(t, policy.ImplicitDeny, policy.Evaluate(r, d, allowAll))
		require.Equal(t, policy.ExplicitDeny, policy.Evaluate(r, d, denyAll))
		if got == policy.ExplicitDeny {
			require.Equal(t, policy.ExplicitDeny, policy.Evaluate(r, allowAll, d))
		}
	})
}

func parsedDoc(tb testing.TB, doc string) *policy.Document {
	d, err := policy.Parse([]byte(doc))
	require.NoError(tb, err)
	return d
}

// written is d as a policy document's JSON.
func written(d *policy.Document) map[string]any {
	statements := []map[string]any{}
	for _, st := range d.Statements {
		s := map[string]any{"Effect": st.Effect}
		if st.Sid != "" {
			s["Sid"] = st.Sid
		}
		s[pick(st.NotAction, "NotAction", "Action")] = st.Actions
		s[pick(st.NotResource, "NotResource", "Resource")] = st.Resources
		if len(st.Conditions) > 0 {
			cond := map[string]map[string][]string{}
			for _, c := range st.Conditions {
				if cond[c.Operator] == nil {
					cond[c.Operator] = map[string][]string{}
				}
				cond[c.Operator][c.Key] = c.Values
			}
			s["Condition"] = cond
		}
		statements = append(statements, s)
	}
	out := map[string]any{"Version": d.Version, "Statement": statements}
	if d.ID != "" {
		out["Id"] = d.ID
	}
	return out
}

func pick(not bool, yes, no string) string {
	if not {
		return yes
	}
	return no
}

// FuzzMatch: '*' matches anything, a string with its wildcards escaped matches itself, a
// pattern that matches still matches with '*' added, and actions compare without case.
func FuzzMatch(f *testing.F) {
	for _, s := range [][2]string{{"codepipeline:Get*", "codepipeline:GetPipeline"}, {"a?c", "abc"}, {`a\*`, "a*"},
		{`\`, `\`}, {"arn:aws:*:*:*:p/*", "arn:aws:codepipeline:us-east-1:1:p/x"}, {"**?*", ""}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, pattern, s string) {
		require.True(t, policy.Match("*", s))
		require.True(t, policy.Match(literal(s), s), literal(s))
		if policy.Match(pattern, s) {
			require.True(t, policy.Match(pattern+"*", s))
		}
		require.Equal(t, policy.MatchAction(pattern, s), policy.MatchAction(asciiUpper(pattern), s))
	})
}

// asciiUpper upper-cases ASCII letters only, so the property holds whatever Unicode's case
// mappings do to other letters.
func asciiUpper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

// literal escapes the wildcards and backslashes of s.
func literal(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(`*?\`, s[i]) >= 0 {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
