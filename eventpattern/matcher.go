package eventpattern

import (
	"encoding/json"
	"net/netip"
	"strconv"
	"strings"
)

// matcher tests one leaf value that is present (a string, json.Number, bool or nil). An
// exists matcher is told about absence separately.
type matcher interface {
	match(v any) bool
}

type literal struct{ v any } // string, float64, bool or nil

func (l literal) match(v any) bool {
	switch want := l.v.(type) {
	case float64:
		n, ok := number(v)
		return ok && n == want
	case nil:
		return v == nil
	default:
		return v == want
	}
}

// number is v as a float64 when v is a JSON number.
func number(v any) (float64, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, false
	}
	f, err := strconv.ParseFloat(string(n), 64)
	return f, err == nil
}

type stringTest func(s string) bool

func (t stringTest) match(v any) bool {
	s, ok := v.(string)
	return ok && t(s)
}

type exists bool

func (exists) match(any) bool { return false } // see matchLeaf

type anythingBut struct{ not matcher }

func (a anythingBut) match(v any) bool { return !a.not.match(v) }

type anyOf []matcher

func (a anyOf) match(v any) bool {
	for _, m := range a {
		if m.match(v) {
			return true
		}
	}
	return false
}

type numeric struct {
	lo, hi       float64
	loOpen, hiOp bool // strict bounds
}

func (n numeric) match(v any) bool {
	f, ok := number(v)
	if !ok {
		return false
	}
	if f < n.lo || (n.loOpen && f == n.lo) {
		return false
	}
	return f < n.hi || (!n.hiOp && f == n.hi)
}

func cidrTest(p netip.Prefix) stringTest {
	return func(s string) bool {
		a, err := netip.ParseAddr(s)
		return err == nil && p.Contains(a.Unmap())
	}
}

func prefixTest(p string, fold bool) stringTest {
	if fold {
		return func(s string) bool { return strings.HasPrefix(strings.ToLower(s), strings.ToLower(p)) }
	}
	return func(s string) bool { return strings.HasPrefix(s, p) }
}

func suffixTest(p string, fold bool) stringTest {
	if fold {
		return func(s string) bool { return strings.HasSuffix(strings.ToLower(s), strings.ToLower(p)) }
	}
	return func(s string) bool { return strings.HasSuffix(s, p) }
}

func foldTest(p string) stringTest { return func(s string) bool { return strings.EqualFold(s, p) } }

// numericLimit is the magnitude numeric matching accepts (event-ruler's).
const numericLimit = 5e9
