// Package glob matches slash-separated names against glob patterns. Sluice follows two
// published syntaxes whose rules truly differ, so a pattern is compiled in an explicit
// Dialect:
//
//   - Java, for CodePipeline trigger filters (branches, tags, filePaths; SEMANTICS §8.2):
//     java.nio's PathMatcher "glob". `*` and `?` stay within a path element, `**` anywhere
//     crosses elements (so `**/x` needs at least one `/` and `src/**` does not match `src`),
//     classes negate with `!`, `{a,b}` groups (not nested).
//   - Files, for CodeBuild artifact globs (buildspec `files`, `exclude-paths`): an element
//     `**` matches any number of elements, zero included (`**/x` matches `x`, `src/**`
//     matches `src`); other elements follow path.Match (classes negate with `^`, no
//     groups); a trailing `/` means everything below; "." and empty elements are dropped;
//     absolute patterns and ".." are refused.
package glob

import (
	"regexp"
	"strings"
)

// Dialect selects the syntax a pattern is read in (see the package doc).
type Dialect int

const (
	// Java is CodePipeline's trigger filter syntax.
	Java Dialect = iota
	// Files is CodeBuild's artifact files syntax.
	Files
)

func (d Dialect) String() string {
	if d == Files {
		return "files"
	}
	return "java"
}

// Pattern is a compiled glob; it is safe for concurrent use.
type Pattern struct {
	src   string
	re    *regexp.Regexp // Java: the whole name
	elems []string       // Files: one path.Match pattern per element, "**" for any number
}

// Compile compiles pattern in dialect d or says where it is malformed.
func Compile(pattern string, d Dialect) (*Pattern, error) {
	if d == Files {
		elems, err := compileFiles(pattern)
		if err != nil {
			return nil, err
		}
		return &Pattern{src: pattern, elems: elems}, nil
	}
	re, err := compileJava(pattern)
	if err != nil {
		return nil, err
	}
	return &Pattern{src: pattern, re: re}, nil
}

// Match reports whether the whole of name, a slash-separated path, matches.
func (p *Pattern) Match(name string) bool {
	if p.re != nil {
		return p.re.MatchString(name)
	}
	return matchElems(p.elems, strings.Split(name, "/"), false)
}

// MatchElems is Match of the path made of elems.
func (p *Pattern) MatchElems(elems []string) bool {
	if p.re != nil {
		return p.re.MatchString(strings.Join(elems, "/"))
	}
	return matchElems(p.elems, elems, false)
}

// MayMatchBelow reports whether the pattern could match a path below the directory elems,
// so a walk can skip directories (node_modules, .git) that it cannot reach. A Java pattern
// always may: `**` can hide anywhere in an element.
func (p *Pattern) MayMatchBelow(elems []string) bool {
	if p.re != nil {
		return true
	}
	return matchElems(p.elems, elems, true)
}

// MatchesAll reports whether the pattern matches every path (a Files pattern that is `**`).
func (p *Pattern) MatchesAll() bool { return len(p.elems) == 1 && p.elems[0] == "**" }

func (p *Pattern) String() string { return p.src }

// Set is a list of patterns that matches what any of them matches; an empty set matches
// nothing.
type Set []*Pattern

// CompileSet compiles every pattern in dialect d.
func CompileSet(patterns []string, d Dialect) (Set, error) {
	s := make(Set, 0, len(patterns))
	for _, src := range patterns {
		p, err := Compile(src, d)
		if err != nil {
			return nil, err
		}
		s = append(s, p)
	}
	return s, nil
}

// First returns the first pattern that matches name, or nil.
func (s Set) First(name string) *Pattern {
	for _, p := range s {
		if p.Match(name) {
			return p
		}
	}
	return nil
}

// MatchElems reports whether some pattern matches the path made of elems.
func (s Set) MatchElems(elems []string) bool {
	for _, p := range s {
		if p.MatchElems(elems) {
			return true
		}
	}
	return false
}

// MayMatchBelow reports whether some pattern could match a path below the directory elems.
func (s Set) MayMatchBelow(elems []string) bool {
	for _, p := range s {
		if p.MayMatchBelow(elems) {
			return true
		}
	}
	return false
}
