package glob

import (
	"fmt"
	"path"
	"strings"
)

// compileFiles splits a Files pattern into elements, each checked with path.Match.
func compileFiles(g string) ([]string, error) {
	if strings.HasPrefix(g, "/") {
		return nil, fmt.Errorf("files glob %q must be relative", g)
	}
	if g == "" || strings.HasSuffix(g, "/") {
		g += "**"
	}
	var segs []string
	for seg := range strings.SplitSeq(g, "/") {
		switch {
		case seg == "" || seg == ".":
			continue // "./dist//x" means "dist/x"
		case seg == "..":
			return nil, fmt.Errorf("files glob %q must not leave the directory", g)
		case seg == "**" && len(segs) > 0 && segs[len(segs)-1] == "**":
			continue
		}
		if _, err := path.Match(seg, ""); err != nil {
			return nil, fmt.Errorf("files glob %q: %w", g, err)
		}
		segs = append(segs, seg)
	}
	if len(segs) == 0 {
		segs = []string{"**"}
	}
	return segs, nil
}

// matchElems matches pattern elements against path elements. With prefix, running out of
// path elements before the pattern ends counts as a match: a longer path could still match.
func matchElems(pat, elems []string, prefix bool) bool {
	m := elemMatcher{pat: pat, elems: elems, prefix: prefix}
	return m.match(0, 0)
}

// elemMatcher remembers where the rest of the pattern after a `**` failed, so each `**` tries
// each place once: without that, k of them against a path n deep cost n^k tries, and a
// buildspec's `files` could hold a worker for hours.
type elemMatcher struct {
	pat, elems []string
	prefix     bool
	failed     map[[2]int]bool // (pattern index of a `**`, path index)
}

func (m *elemMatcher) match(pi, ei int) bool {
	for ; pi < len(m.pat); pi, ei = pi+1, ei+1 {
		if m.pat[pi] == "**" {
			return m.star(pi, ei)
		}
		if ei == len(m.elems) {
			return m.prefix
		}
		if ok, _ := path.Match(m.pat[pi], m.elems[ei]); !ok {
			return false
		}
	}
	return ei == len(m.elems)
}

func (m *elemMatcher) star(pi, ei int) bool {
	key := [2]int{pi, ei}
	if m.failed[key] {
		return false
	}
	for i := ei; i <= len(m.elems); i++ {
		if m.match(pi+1, i) {
			return true
		}
	}
	if m.failed == nil {
		m.failed = map[[2]int]bool{}
	}
	m.failed[key] = true
	return false
}
