package filter

import (
	"fmt"

	"sluice"
	"sluice/glob"
)

// MaxInspectedFiles is how many changed files a filePaths criterion looks at; files past the
// first hundred cannot start a pipeline (SEMANTICS §8.2).
const MaxInspectedFiles = 100

// criterion is a compiled GitFilterCriteria.
type criterion struct {
	what     string // branch, tag or file, for reasons
	includes glob.Set
	excludes glob.Set
}

func compile(what string, c *sluice.GitFilterCriteria) (*criterion, error) {
	out := &criterion{what: what}
	var err error
	if out.includes, err = glob.CompileSet(c.Includes, glob.Java); err != nil {
		return nil, err
	}
	if out.excludes, err = glob.CompileSet(c.Excludes, glob.Java); err != nil {
		return nil, err
	}
	return out, nil
}

// test says whether value qualifies: it matches an include (no includes: everything) and no
// exclude, since excludes win.
func (c *criterion) test(value string) (bool, string) {
	if len(c.includes) > 0 && c.includes.First(value) == nil {
		return false, fmt.Sprintf("%s %q matches no include", c.what, value)
	}
	if g := c.excludes.First(value); g != nil {
		return false, fmt.Sprintf("%s %q matches exclude %q", c.what, value, g)
	}
	return true, ""
}

// check tests one name criterion (branches or tags) of a filter; an absent one passes. An
// invalid pattern fails the criterion: better to start nothing than to ignore an exclude.
func check(what string, c *sluice.GitFilterCriteria, value string) (bool, string) {
	if c == nil {
		return true, ""
	}
	if value == "" {
		return false, fmt.Sprintf("the filter has %s criteria and the event has no %s", what, what)
	}
	cc, err := compile(what, c)
	if err != nil {
		return false, err.Error()
	}
	return cc.test(value)
}

// checkFiles tests a filePaths criterion: each of the first MaxInspectedFiles files on its
// own, one qualifying file being enough.
func checkFiles(c *sluice.GitFilterCriteria, in Input) (bool, string) {
	if c == nil {
		return true, ""
	}
	if !in.FilesKnown {
		return false, "the filter has filePaths criteria and the event has no changed-file list"
	}
	cc, err := compile("file", c)
	if err != nil {
		return false, err.Error()
	}
	files := in.Files
	if len(files) > MaxInspectedFiles {
		files = files[:MaxInspectedFiles]
	}
	for _, f := range files {
		if ok, _ := cc.test(f); ok {
			return true, ""
		}
	}
	return false, fmt.Sprintf("none of the %d changed files inspected qualifies", len(files))
}
