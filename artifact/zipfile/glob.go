package zipfile

import (
	"fmt"
	"path"
	"strings"
)

// Globs is a set of path globs in the CodeBuild artifact `files` syntax: relative slash paths
// where "*", "?" and "[...]" match within one path element and an element "**" matches any
// number of elements (zero included); a trailing "/" means everything below ("dist/" is
// "dist/**"). A glob that matches a directory selects everything below it, so "dist" and
// "dist/" are the same. Providers that stage files themselves use it to select exactly what
// WriteDir would.
type Globs [][]string

// CompileGlobs checks and compiles patterns; an empty list matches nothing.
func CompileGlobs(patterns []string) (Globs, error) {
	var g Globs
	for _, p := range patterns {
		segs, err := compileGlob(p)
		if err != nil {
			return nil, err
		}
		g = append(g, segs)
	}
	return g, nil
}

// Matches reports whether some glob matches the path elements exactly.
func (g Globs) Matches(elems []string) bool {
	for _, p := range g {
		if match(p, elems, false) {
			return true
		}
	}
	return false
}

// MayMatchBelow reports whether some glob could match a path below the directory elems, so
// a walk can skip directories (node_modules, .git) that no glob reaches.
func (g Globs) MayMatchBelow(elems []string) bool {
	for _, p := range g {
		if match(p, elems, true) {
			return true
		}
	}
	return false
}

// selector decides which paths below the zipped directory go into the archive: everything
// when no glob is given, else what the globs select.
type selector struct {
	all      bool
	patterns Globs
}

func newSelector(globs []string) (*selector, error) {
	g, err := CompileGlobs(globs)
	if err != nil {
		return nil, err
	}
	s := &selector{all: len(globs) == 0, patterns: g}
	for _, p := range g {
		if len(p) == 1 && p[0] == "**" {
			s.all = true
		}
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

func (s *selector) matches(elems []string) bool { return s.patterns.Matches(elems) }

func (s *selector) mayMatchBelow(elems []string) bool { return s.patterns.MayMatchBelow(elems) }

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
