package policy

import (
	"encoding/base64"
	"math/big"
	"net/netip"
	"strings"
	"time"
)

func anyValue(string) bool { return true }

// baseOps are the condition operators Sluice evaluates, by name (without IfExists).
var baseOps = makeBaseOps()

func makeBaseOps() map[string]*baseOp {
	baseOps := map[string]*baseOp{}
	str := func(name string, cmp func(a, b string) bool, pattern bool) {
		baseOps[name] = &baseOp{variables: true, pattern: pattern, valid: anyValue, cmp: cmp}
	}
	str("StringEquals", func(a, b string) bool { return a == b }, false)
	str("StringEqualsIgnoreCase", strings.EqualFold, false)
	str("StringLike", func(a, b string) bool { return Match(b, a) }, true)
	str("ArnEquals", arnLike, true)
	str("ArnLike", arnLike, true)
	for _, name := range []string{"StringEquals", "StringEqualsIgnoreCase", "StringLike", "ArnEquals", "ArnLike"} {
		not := strings.Replace(strings.Replace(name, "Equals", "NotEquals", 1), "Like", "NotLike", 1)
		neg := *baseOps[name]
		neg.negate = true
		baseOps[not] = &neg
	}
	ordered := func(family string, parse func(string) (*big.Float, bool)) {
		valid := func(s string) bool { _, ok := parse(s); return ok }
		cmp := func(want func(int) bool) func(a, b string) bool {
			return func(a, b string) bool {
				x, ok1 := parse(a)
				y, ok2 := parse(b)
				return ok1 && ok2 && want(x.Cmp(y))
			}
		}
		baseOps[family+"Equals"] = &baseOp{valid: valid, cmp: cmp(func(c int) bool { return c == 0 })}
		baseOps[family+"NotEquals"] = &baseOp{negate: true, valid: valid, cmp: cmp(func(c int) bool { return c == 0 })}
		baseOps[family+"LessThan"] = &baseOp{valid: valid, cmp: cmp(func(c int) bool { return c < 0 })}
		baseOps[family+"LessThanEquals"] = &baseOp{valid: valid, cmp: cmp(func(c int) bool { return c <= 0 })}
		baseOps[family+"GreaterThan"] = &baseOp{valid: valid, cmp: cmp(func(c int) bool { return c > 0 })}
		baseOps[family+"GreaterThanEquals"] = &baseOp{valid: valid, cmp: cmp(func(c int) bool { return c >= 0 })}
	}
	ordered("Numeric", parseNumber)
	ordered("Date", parseDate)
	baseOps["Bool"] = &baseOp{valid: isBool, cmp: strings.EqualFold}
	baseOps["BinaryEquals"] = &baseOp{valid: isBase64, cmp: func(a, b string) bool { return a == b }}
	baseOps["IpAddress"] = &baseOp{valid: isPrefix, cmp: inPrefix}
	baseOps["NotIpAddress"] = &baseOp{negate: true, valid: isPrefix, cmp: inPrefix}
	baseOps["Null"] = &baseOp{null: true, valid: isBool}
	return baseOps
}

func isBool(s string) bool { return strings.EqualFold(s, "true") || strings.EqualFold(s, "false") }

func isBase64(s string) bool { _, err := base64.StdEncoding.DecodeString(s); return err == nil }

func parseNumber(s string) (*big.Float, bool) {
	if len(s) > 64 {
		return nil, false
	}
	f, ok := new(big.Float).SetString(strings.TrimSpace(s))
	return f, ok
}

// parseDate reads W3C dates (date only, or date and time) and epoch seconds.
func parseDate(s string) (*big.Float, bool) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04Z07:00", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return new(big.Float).SetInt64(t.Unix()), true
		}
	}
	if n, ok := parseNumber(s); ok && n.IsInt() {
		return n, true
	}
	return nil, false
}

func parsePrefix(s string) (netip.Prefix, bool) {
	if p, err := netip.ParsePrefix(s); err == nil {
		return p.Masked(), true
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, false
	}
	return netip.PrefixFrom(a, a.BitLen()), true
}

func isPrefix(s string) bool { _, ok := parsePrefix(s); return ok }

func inPrefix(req, pol string) bool {
	p, ok := parsePrefix(pol)
	a, err := netip.ParseAddr(req)
	return ok && err == nil && p.Contains(a.Unmap())
}

// arnLike compares the six colon-separated parts of two ARNs separately; the last part
// keeps any further colons.
func arnLike(req, pol string) bool {
	r := strings.SplitN(req, ":", 6)
	p := splitPattern(pol, 6)
	if len(r) != 6 || len(p) != 6 {
		return false
	}
	for i := range r {
		if !Match(p[i], r[i]) {
			return false
		}
	}
	return true
}

// splitPattern splits an escaped pattern at unescaped colons, at most n parts.
func splitPattern(p string, n int) []string {
	var parts []string
	start := 0
	for i := 0; i < len(p) && len(parts) < n-1; i++ {
		switch p[i] {
		case '\\':
			i++
		case ':':
			parts = append(parts, p[start:i])
			start = i + 1
		}
	}
	return append(parts, p[start:])
}
