package zipfile

import (
	"fmt"
	"path"
	"strings"
)

// selector decides which paths below the zipped directory go into the archive. Globs follow
// the CodeBuild artifact `files` syntax: relative slash paths where "*", "?" and "[...]" match
// within one path element and an element "**" matches any number of elements (zero
// included); a trailing "/" means everything below ("dist/" is "dist/**"). A glob that
// matches a directory selects everything below it, so "dist" and "dist/" are the same.
type selector struct {
	all      bool
	patterns [][]string
}

func newSelector(globs []string) (*selector, error) {
	s := &selector{all: len(globs) == 0}
	for _, g := range globs {
		p, err := compileGlob(g)
		if err != nil {
			return nil, err
		}
		if len(p) == 1 && p[0] == "**" {
			s.all = true
		}
		s.patterns = append(s.patterns, p)
	}
	return s, nil
}

func compileGlob(g string) ([]string, error) {
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

// matches reports whether some glob matches the path elements exactly.
func (s *selector) matches(elems []string) bool {
	for _, p := range s.patterns {
		if match(p, elems, false) {
			return true
		}
	}
	return false
}

// mayMatchBelow reports whether some glob could match a path below the directory elems, so
// the walk can skip directories (node_modules, .git) that no glob reaches.
func (s *selector) mayMatchBelow(elems []string) bool {
	for _, p := range s.patterns {
		if match(p, elems, true) {
			return true
		}
	}
	return false
}

// match matches pattern elements against path elements. With prefix, running out of path
// elements before the pattern ends counts as a match: a longer path could still match.
func match(pat, elems []string, prefix bool) bool {
	for len(pat) > 0 {
		if pat[0] == "**" {
			for i := 0; i <= len(elems); i++ {
				if match(pat[1:], elems[i:], prefix) {
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
