package policy

import "strings"

// Context is a request's context keys and their values; keys are compared without case
// (Set and Values lower-case them). A key with several values is multivalued (aws:TagKeys).
type Context map[string][]string

// Set gives key its values (none removes it).
func (c Context) Set(key string, values ...string) {
	if len(values) == 0 {
		delete(c, strings.ToLower(key))
		return
	}
	c[strings.ToLower(key)] = values
}

// Values returns key's values and whether the request has the key.
func (c Context) Values(key string) ([]string, bool) {
	v, ok := c[strings.ToLower(key)]
	return v, ok
}

// expand replaces the policy variables of s (${aws:username}, ${key, 'default'}, ${*},
// ${?}, ${$}) with their values. With pattern set, the result is a glob pattern whose
// wildcards are s's own: substituted text is escaped. ok is false when a variable names a
// key the request lacks and gives no default; s then matches nothing.
func expand(s string, ctx Context, pattern bool) (out string, ok bool) {
	lit := func(t string) string {
		if pattern {
			return escape(t)
		}
		return t
	}
	if !strings.Contains(s, "${") {
		return s, true
	}
	var b strings.Builder
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			b.WriteString(s)
			return b.String(), true
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			b.WriteString(s)
			return b.String(), true
		}
		b.WriteString(s[:i])
		v, found := variable(s[i+2:i+j], ctx)
		if !found {
			return "", false
		}
		b.WriteString(lit(v))
		s = s[i+j+1:]
	}
}

// variable is the value of the inside of one ${...}.
func variable(inner string, ctx Context) (string, bool) {
	switch inner {
	case "*", "?", "$":
		return inner, true
	}
	key, def, hasDefault := strings.Cut(inner, ",")
	if vals, ok := ctx.Values(strings.TrimSpace(key)); ok && len(vals) == 1 {
		return vals[0], true
	}
	if hasDefault {
		def = strings.TrimSpace(def)
		if len(def) >= 2 && def[0] == '\'' && def[len(def)-1] == '\'' {
			return def[1 : len(def)-1], true
		}
	}
	return "", false
}
