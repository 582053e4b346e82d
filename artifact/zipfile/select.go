package zipfile

import "sluice/glob"

// selector decides which paths below the zipped directory go into the archive: everything
// when no glob is given, else what the globs select.
type selector struct {
	all      bool
	patterns glob.Set
}

func newSelector(globs []string) (*selector, error) {
	g, err := glob.CompileSet(globs, glob.Files)
	if err != nil {
		return nil, err
	}
	s := &selector{all: len(globs) == 0, patterns: g}
	for _, p := range g {
		if p.MatchesAll() {
			s.all = true
		}
	}
	return s, nil
}

func (s *selector) matches(elems []string) bool { return s.patterns.MatchElems(elems) }

func (s *selector) mayMatchBelow(elems []string) bool { return s.patterns.MayMatchBelow(elems) }
