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
