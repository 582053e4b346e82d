package filter

import (
	"fmt"
	"strconv"
	"strings"
)

// JSONPath is a compiled path of the Jayway JsonPath subset real webhook filters use: the
// root $, child access by dot (.name) or bracket (['name'], ["name"]), array indexes ([0],
// [-1] from the end) and the wildcard (.* or [*]) over an object's values or an array's
// elements. Deep scan (..), slices, unions and filter expressions are refused when the
// path is compiled, so PutWebhook rejects a filter Sluice could not evaluate.
type JSONPath struct {
	text  string
	steps []step
}

// step is one selector: a member name, an array index, or the wildcard.
type step struct {
	name     string
	index    int
	isIndex  bool
	wildcard bool
}

// CompileJSONPath parses path; the error says what is wrong and where.
func CompileJSONPath(path string) (*JSONPath, error) {
	rest, ok := strings.CutPrefix(strings.TrimSpace(path), "$")
	if !ok {
		return nil, fmt.Errorf("JsonPath %q must start with $", path)
	}
	p := &JSONPath{text: path}
	for rest != "" {
		var (
			s   step
			err error
		)
		switch rest[0] {
		case '.':
			s, rest, err = dotStep(rest[1:])
		case '[':
			s, rest, err = bracketStep(rest[1:])
		default:
			err = fmt.Errorf("unexpected %q", rest[0])
		}
		if err != nil {
			return nil, fmt.Errorf("JsonPath %q: %w at offset %d", path, err, len(path)-len(rest))
		}
		p.steps = append(p.steps, s)
	}
	return p, nil
}

func (p *JSONPath) String() string { return p.text }

// dotStep reads the name after a dot: up to the next '.' or '['.
func dotStep(rest string) (step, string, error) {
	if strings.HasPrefix(rest, ".") {
		return step{}, rest, fmt.Errorf("deep scan (..) is not supported")
	}
	end := strings.IndexAny(rest, ".[")
	if end < 0 {
		end = len(rest)
	}
	name := rest[:end]
	switch {
	case name == "":
		return step{}, rest, fmt.Errorf("a member name must follow '.'")
	case name == "*":
		return step{wildcard: true}, rest[end:], nil
	case strings.ContainsAny(name, "]'\"() ?@"):
		return step{}, rest, fmt.Errorf("member name %q has characters that need bracket notation", name)
	}
	return step{name: name}, rest[end:], nil
}

// bracketStep reads what follows '[' up to its ']': a quoted name, an index or '*'.
func bracketStep(rest string) (step, string, error) {
	if rest != "" && (rest[0] == '\'' || rest[0] == '"') {
		q := rest[0]
		var b strings.Builder
		for i := 1; i < len(rest); i++ {
			switch c := rest[i]; {
			case c == '\\' && i+1 < len(rest):
				i++
				b.WriteByte(rest[i])
			case c == q:
				after := rest[i+1:]
				if !strings.HasPrefix(after, "]") {
					return step{}, rest, fmt.Errorf("expected ] after the quoted name")
				}
				return step{name: b.String()}, after[1:], nil
			default:
				b.WriteByte(c)
			}
		}
		return step{}, rest, fmt.Errorf("unterminated quoted name")
	}
	end := strings.IndexByte(rest, ']')
	if end < 0 {
		return step{}, rest, fmt.Errorf("missing ]")
	}
	inner := strings.TrimSpace(rest[:end])
	if inner == "*" {
		return step{wildcard: true}, rest[end+1:], nil
	}
	n, err := strconv.Atoi(inner)
	if err != nil {
		return step{}, rest, fmt.Errorf("[%s] is not a quoted name, an index or *", inner)
	}
	return step{index: n, isIndex: true}, rest[end+1:], nil
}

// Select returns the values the path selects in doc (a document decoded by encoding/json),
// in document order for arrays; none when a member or element is missing.
func (p *JSONPath) Select(doc any) []any {
	cur := []any{doc}
	for _, s := range p.steps {
		var next []any
		for _, v := range cur {
			next = s.apply(v, next)
		}
		cur = next
	}
	return cur
}

func (s step) apply(v any, out []any) []any {
	switch v := v.(type) {
	case map[string]any:
		switch {
		case s.wildcard:
			for _, k := range sortedKeys(v) {
				out = append(out, v[k])
			}
		case !s.isIndex:
			if c, ok := v[s.name]; ok {
				out = append(out, c)
			}
		}
	case []any:
		switch {
		case s.wildcard:
			out = append(out, v...)
		case s.isIndex:
			i := s.index
			if i < 0 {
				i += len(v)
			}
			if i >= 0 && i < len(v) {
				out = append(out, v[i])
			}
		}
	}
	return out
}
