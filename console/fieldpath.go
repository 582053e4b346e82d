package console

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// fieldIndex maps the fields of a pasted pipeline document to the lines that hold them, in
// document order. Paths are spelt as the core's validation errors spell them, 1-based, with
// ".member" after a list index: "pipeline.stages.2.member.actions.1.member.runOrder". A bare
// declaration (no {"pipeline": ...} around it) is indexed under "pipeline" all the same.
type fieldIndex []fieldLine

type fieldLine struct {
	path string
	line int // 1-based
}

// line is the line of path, or of the nearest enclosing field the document has (a missing
// member is reported at its parent); 0 when not even the root is there.
func (ix fieldIndex) line(path string) int {
	for p := path; p != ""; {
		for _, f := range ix {
			if f.path == p {
				return f.line
			}
		}
		i := strings.LastIndexByte(p, '.')
		if i < 0 {
			break
		}
		p = p[:i]
	}
	return 0
}

// lineOfField is the line of the first field whose path, list indices left out, is field
// (as a decoding error names it: "stages.actions.runOrder"), or ends with "."+field.
func (ix fieldIndex) lineOfField(field string) int {
	for _, f := range ix {
		bare := stripIndices(f.path)
		if bare == field || strings.HasSuffix(bare, "."+field) {
			return f.line
		}
	}
	return 0
}

func stripIndices(p string) string {
	parts := strings.Split(p, ".")
	out := parts[:0]
	for i := 0; i < len(parts); i++ {
		if parts[i] == "member" || isDigits(parts[i]) {
			continue
		}
		out = append(out, parts[i])
	}
	return strings.Join(out, ".")
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// rootPath is where a document's top level sits among the model's paths: "" for the
// wrapped form, whose top level holds "pipeline", else "pipeline".
func rootPath(keys []string) string {
	for _, k := range keys {
		if strings.EqualFold(k, "pipeline") {
			return ""
		}
	}
	return "pipeline"
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func elem(path string, i int) string { return fmt.Sprintf("%s.%d.member", path, i+1) }

// indexYAML indexes a YAML document by its nodes' lines (nil when it does not parse).
func indexYAML(src []byte) fieldIndex {
	var doc yaml.Node
	if yaml.Unmarshal(src, &doc) != nil || len(doc.Content) == 0 {
		return nil
	}
	top := doc.Content[0]
	var keys []string
	if top.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(top.Content); i += 2 {
			keys = append(keys, top.Content[i].Value)
		}
	}
	var ix fieldIndex
	root := rootPath(keys)
	if root != "" {
		ix = append(ix, fieldLine{root, top.Line})
	}
	ix.walkYAML(root, top)
	return ix
}

func (ix *fieldIndex) walkYAML(path string, n *yaml.Node) {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			p := join(path, n.Content[i].Value)
			*ix = append(*ix, fieldLine{p, n.Content[i].Line})
			ix.walkYAML(p, n.Content[i+1])
		}
	case yaml.SequenceNode:
		for i, e := range n.Content {
			p := elem(path, i)
			*ix = append(*ix, fieldLine{p, e.Line})
			ix.walkYAML(p, e)
		}
	case yaml.AliasNode:
		// An alias's fields are on the anchor's lines: the alias's own line says enough.
	}
}

// indexJSON indexes a JSON document by its tokens' offsets (what it read before a syntax
// error, which decoding reports on its own).
func indexJSON(src []byte) fieldIndex {
	lines := newLineMap(src)
	var keys []string
	var top map[string]json.RawMessage
	if json.Unmarshal(src, &top) == nil {
		for k := range top {
			keys = append(keys, k)
		}
	}
	w := jsonWalker{dec: json.NewDecoder(bytes.NewReader(src)), lines: lines}
	root := rootPath(keys)
	tok, err := w.dec.Token()
	if err != nil {
		return nil
	}
	if root != "" {
		w.ix = append(w.ix, fieldLine{root, w.here()})
	}
	_ = w.value(root, tok) // a syntax error ends the index where it is
	return w.ix
}

type jsonWalker struct {
	dec   *json.Decoder
	lines lineMap
	ix    fieldIndex
}

// here is the line of the token just read: the decoder stands right after it.
func (w *jsonWalker) here() int { return w.lines.at(int(w.dec.InputOffset()) - 1).line }

// value reads the rest of the value whose first token is tok, indexing its members.
func (w *jsonWalker) value(path string, tok json.Token) error {
	d, ok := tok.(json.Delim)
	if !ok {
		return nil
	}
	for i := 0; ; i++ {
		t, err := w.dec.Token()
		if err != nil {
			return err
		}
		if t == json.Delim('}') || t == json.Delim(']') {
			return nil
		}
		p := elem(path, i)
		if d == '{' {
			p = join(path, fmt.Sprint(t))
			w.ix = append(w.ix, fieldLine{p, w.here()})
			if t, err = w.dec.Token(); err != nil {
				return err
			}
		} else {
			w.ix = append(w.ix, fieldLine{p, w.here()})
		}
		if err := w.value(p, t); err != nil {
			return err
		}
	}
}

// lineMap turns byte offsets into 1-based lines and columns.
type lineMap struct{ starts []int }

type position struct{ line, col int }

func newLineMap(src []byte) lineMap {
	starts := []int{0}
	for i, b := range src {
		if b == '\n' {
			starts = append(starts, i+1)
		}
	}
	return lineMap{starts}
}

func (m lineMap) at(offset int) position {
	offset = max(offset, 0)
	i := sort.Search(len(m.starts), func(i int) bool { return m.starts[i] > offset }) - 1
	return position{line: i + 1, col: offset - m.starts[i] + 1}
}
