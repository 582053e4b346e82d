package codebuild

import (
	"fmt"
	"path"
	"strings"
)

// globs is a set of artifact path globs in the syntax the runner zips with (CodeBuild's
// `files`): relative slash paths whose elements match with path.Match, an element "**"
// matching any number of elements, a trailing "/" meaning everything below. Matching a
// directory selects everything under it. Staged artifacts must select exactly what a
// plain one would, so this follows the same rules.
type globs [][]string

func compileGlobs(patterns []string) (globs, error) {
	var g globs
	for _, p := range patterns {
		if strings.HasPrefix(p, "/") {
			return nil, fmt.Errorf("path %q must be relative", p)
		}
		if p == "" || strings.HasSuffix(p, "/") {
			p += "**"
		}
		var elems []string
		for e := range strings.SplitSeq(p, "/") {
			switch {
			case e == "" || e == ".", e == "**" && len(elems) > 0 && elems[len(elems)-1] == "**":
				continue
			case e == "..":
				return nil, fmt.Errorf("path %q must not leave the base directory", p)
			}
			if _, err := path.Match(e, ""); err != nil {
				return nil, fmt.Errorf("path %q: %w", p, err)
			}
			elems = append(elems, e)
		}
		if len(elems) == 0 {
			elems = []string{"**"}
		}
		g = append(g, elems)
	}
	return g, nil
}

// matches reports whether some glob matches the path exactly.
func (g globs) matches(elems []string) bool {
	for _, p := range g {
		if matchElems(p, elems, false) {
			return true
		}
	}
	return false
}

// mayMatchBelow reports whether some glob could match a path under the directory elems.
func (g globs) mayMatchBelow(elems []string) bool {
	for _, p := range g {
		if matchElems(p, elems, true) {
			return true
		}
	}
	return false
}

// matchElems matches pattern elements against path elements; with prefix, a path that
// ends while the pattern goes on counts, since a longer path could still match.
func matchElems(pat, elems []string, prefix bool) bool {
	for len(pat) > 0 {
		if pat[0] == "**" {
			for i := 0; i <= len(elems); i++ {
				if matchElems(pat[1:], elems[i:], prefix) {
					return true
				}
			}
			return false
		}
		if len(elems) == 0 {
			return prefix
		}
		if ok, _ := path.Match(pat[0], elems[0]); !ok {
			return false
		}
		pat, elems = pat[1:], elems[1:]
	}
	return len(elems) == 0
}
