package eventpattern

import (
	"encoding/json"
	"math"
	"net/netip"
	"strconv"
	"strings"
)

func compileMatcher(e any, path string) (matcher, error) {
	switch e := e.(type) {
	case string, bool, nil:
		return literal{e}, nil
	case json.Number:
		f, err := strconv.ParseFloat(string(e), 64)
		if err != nil {
			return nil, invalid("Number %s is not valid (at %q)", e, path)
		}
		return literal{f}, nil
	case map[string]any:
		return compileOperator(e, path)
	default:
		return nil, invalid("Match value must be String, number, true, false, or null (at %q)", path)
	}
}

func compileOperator(m map[string]any, path string) (matcher, error) {
	if len(m) != 1 {
		return nil, invalid("Only one key allowed in match expression (at %q)", path)
	}
	for op, arg := range m {
		switch op {
		case "prefix", "suffix":
			return compileAffix(op, arg, path)
		case "equals-ignore-case":
			s, ok := arg.(string)
			if !ok {
				return nil, invalid("equals-ignore-case match pattern must be a string (at %q)", path)
			}
			return foldTest(s), nil
		case "wildcard":
			s, ok := arg.(string)
			if !ok {
				return nil, invalid("wildcard match pattern must be a string (at %q)", path)
			}
			return compileWildcard(s, path)
		case "anything-but":
			return compileAnythingBut(arg, path)
		case "numeric":
			return compileNumeric(arg, path)
		case "cidr":
			s, ok := arg.(string)
			if !ok {
				return nil, invalid("cidr match pattern must be a string (at %q)", path)
			}
			p, err := netip.ParsePrefix(s)
			if err != nil {
				return nil, invalid("Nonstandard IP address: %s (at %q)", s, path)
			}
			return cidrTest(p.Masked()), nil
		case "exists":
			b, ok := arg.(bool)
			if !ok {
				return nil, invalid("exists match pattern must be either true or false (at %q)", path)
			}
			return exists(b), nil
		}
		return nil, invalid("Unrecognized match type %s (at %q)", op, path)
	}
	panic("unreachable")
}

// compileAffix reads prefix and suffix: a string, or {"equals-ignore-case": string}.
func compileAffix(op string, arg any, path string) (matcher, error) {
	fold := false
	if m, ok := arg.(map[string]any); ok && len(m) == 1 {
		if a, ok := m["equals-ignore-case"]; ok {
			arg, fold = a, true
		}
	}
	s, ok := arg.(string)
	if !ok {
		return nil, invalid("%s match pattern must be a string (at %q)", op, path)
	}
	if op == "prefix" {
		return prefixTest(s, fold), nil
	}
	return suffixTest(s, fold), nil
}

// compileAnythingBut reads a string, a number, a list of all strings or all numbers, or one
// of prefix, suffix, equals-ignore-case and wildcard.
func compileAnythingBut(arg any, path string) (matcher, error) {
	switch a := arg.(type) {
	case string, json.Number:
		m, err := compileMatcher(a, path)
		return anythingBut{m}, err
	case []any:
		return anythingButList(a, path)
	case map[string]any:
		if len(a) != 1 {
			return nil, invalid("anything-but takes one match expression (at %q)", path)
		}
		for op, v := range a {
			switch op {
			case "prefix", "suffix":
				m, err := compileAffix(op, v, path)
				return anythingBut{m}, err
			case "equals-ignore-case", "wildcard":
				m, err := stringsOp(op, v, path)
				return anythingBut{m}, err
			}
			return nil, invalid("Unsupported anything-but pattern: %s (at %q)", op, path)
		}
	}
	return nil, invalid("Value of anything-but must be an array or single string/number value (at %q)", path)
}

// stringsOp is equals-ignore-case or wildcard over a string or a list of strings.
func stringsOp(op string, v any, path string) (matcher, error) {
	list, ok := v.([]any)
	if !ok {
		list = []any{v}
	}
	if len(list) == 0 {
		return nil, invalid("Empty arrays are not allowed (at %q)", path)
	}
	var out anyOf
	for _, e := range list {
		m, err := compileOperator(map[string]any{op: e}, path)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

func anythingButList(list []any, path string) (matcher, error) {
	if len(list) == 0 {
		return nil, invalid("Empty arrays are not allowed (at %q)", path)
	}
	var out anyOf
	strs, nums := 0, 0
	for _, e := range list {
		switch e.(type) {
		case string:
			strs++
		case json.Number:
			nums++
		default:
			return nil, invalid("Inside anything but list, start|null|boolean is not supported (at %q)", path)
		}
		m, err := compileMatcher(e, path)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	if strs > 0 && nums > 0 {
		return nil, invalid("Inside anything but list, all elements must be either strings or numbers (at %q)", path)
	}
	return anythingBut{out}, nil
}

func compileNumeric(arg any, path string) (matcher, error) {
	list, ok := arg.([]any)
	if !ok || len(list) == 0 || len(list)%2 != 0 {
		return nil, invalid("Value of numeric must be an array of operator and number pairs (at %q)", path)
	}
	n := numeric{lo: math.Inf(-1), hi: math.Inf(1)}
	var haveLo, haveHi, haveEq bool
	for i := 0; i < len(list); i += 2 {
		op, ok := list[i].(string)
		if !ok {
			return nil, invalid("Numeric operators must be strings (at %q)", path)
		}
		f, err := numericValue(list[i+1], path)
		if err != nil {
			return nil, err
		}
		switch op {
		case "=":
			haveEq = true
			n.lo, n.hi = f, f
		case ">", ">=":
			if haveLo {
				return nil, invalid("Too many lower bounds in numeric match (at %q)", path)
			}
			haveLo, n.lo, n.loOpen = true, f, op == ">"
		case "<", "<=":
			if haveHi {
				return nil, invalid("Too many upper bounds in numeric match (at %q)", path)
			}
			haveHi, n.hi, n.hiOp = true, f, op == "<"
		default:
			return nil, invalid("Unrecognized numeric range operator: %s (at %q)", op, path)
		}
	}
	if haveEq && len(list) > 2 {
		return nil, invalid("Numeric equals cannot be combined with other operators (at %q)", path)
	}
	if n.lo > n.hi {
		return nil, invalid("Bottom must be less than top (at %q)", path)
	}
	return n, nil
}

func numericValue(v any, path string) (float64, error) {
	f, ok := number(v)
	if !ok {
		return 0, invalid("Value of numeric operator must be a number (at %q)", path)
	}
	if math.Abs(f) > numericLimit || math.IsNaN(f) {
		return 0, invalid("Value of numeric operator must be between -%.1e and %.1e (at %q)", numericLimit, numericLimit, path)
	}
	return f, nil
}

// compileWildcard reads a wildcard: * matches any run; \* and \\ are a literal star and
// backslash; two stars in a row and any other escape are invalid.
func compileWildcard(s, path string) (matcher, error) {
	var parts []string // literal runs between stars
	var b strings.Builder
	prevStar := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '*':
			if prevStar {
				return nil, invalid("Consecutive wildcard characters at pos %d (at %q)", i, path)
			}
			parts, prevStar = append(parts, b.String()), true
			b.Reset()
			continue
		case '\\':
			if i+1 >= len(s) || (s[i+1] != '*' && s[i+1] != '\\') {
				return nil, invalid("Invalid escape character at pos %d (at %q)", i, path)
			}
			i++
			b.WriteByte(s[i])
		default:
			b.WriteByte(c)
		}
		prevStar = false
	}
	parts = append(parts, b.String())
	return stringTest(func(v string) bool { return globMatch(parts, v) }), nil
}

// globMatch matches v against literal parts separated by stars.
func globMatch(parts []string, v string) bool {
	if len(parts) == 1 {
		return v == parts[0]
	}
	first, last := parts[0], parts[len(parts)-1]
	if len(v) < len(first)+len(last) || !strings.HasPrefix(v, first) || !strings.HasSuffix(v, last) {
		return false
	}
	v = v[len(first) : len(v)-len(last)]
	for _, p := range parts[1 : len(parts)-1] {
		i := strings.Index(v, p)
		if i < 0 {
			return false
		}
		v = v[i+len(p):]
	}
	return true
}
