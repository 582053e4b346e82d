package codebuild

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// decoder turns YAML nodes into buildspec values. It works on nodes rather than on tagged
// structs for three reasons: every scalar keeps its source text (a `1.0` variable stays
// "1.0", not the float 1), unknown keys can be reported with their line instead of being
// dropped, and CodeBuild's lenient shapes (a string where a list is expected, `yes` for
// true) are accepted in one place. The first error wins; warnings accumulate.
type decoder struct {
	warnings []string
	err      error
}

func (d *decoder) warn(n *yaml.Node, format string, args ...any) {
	d.warnings = append(d.warnings, fmt.Sprintf("line %d: ", n.Line)+fmt.Sprintf(format, args...))
}

func (d *decoder) fail(n *yaml.Node, format string, args ...any) {
	if d.err == nil {
		d.err = fmt.Errorf("line %d: %s", n.Line, fmt.Sprintf(format, args...))
	}
}

// resolve follows an alias (*anchor) to the node it names.
func resolve(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool {
	return n == nil || n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

// fields hands the value of each key of the mapping n to its handler and reports keys
// that have none.
func (d *decoder) fields(n *yaml.Node, path string, handlers map[string]func(*yaml.Node)) {
	d.entries(n, path, func(key *yaml.Node, value *yaml.Node) {
		if h, ok := handlers[key.Value]; ok {
			h(value)
		} else {
			d.warn(key, "unknown key %s: ignored", join(path, key.Value))
		}
	})
}

// entries calls fn for each key of the mapping n, in order. A null value (`post_build:`
// with nothing under it) is an empty mapping.
func (d *decoder) entries(n *yaml.Node, path string, fn func(key, value *yaml.Node)) {
	n = resolve(n)
	if isNull(n) {
		return
	}
	if n.Kind != yaml.MappingNode {
		d.fail(n, "%s must be a mapping", path)
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		fn(n.Content[i], resolve(n.Content[i+1]))
	}
}

// scalar returns a scalar's text as written; null is "".
func (d *decoder) scalar(n *yaml.Node, path string) string {
	n = resolve(n)
	switch {
	case isNull(n):
		return ""
	case n.Kind != yaml.ScalarNode:
		d.fail(n, "%s must be a string, not a %s", path, kindName(n))
		return ""
	}
	return n.Value
}

// list returns a sequence of scalars; a single scalar is a list of one (the 0.1 syntax
// and `files: "**/*"`). Null items are skipped. A mapping item is the YAML trap of an
// unquoted command holding ": ", reported as CodeBuild does rather than run mangled.
func (d *decoder) list(n *yaml.Node, path string) []string {
	n = resolve(n)
	switch {
	case isNull(n):
		return nil
	case n.Kind == yaml.ScalarNode:
		return []string{n.Value}
	case n.Kind != yaml.SequenceNode:
		d.fail(n, "%s must be a list of strings", path)
		return nil
	}
	var out []string
	for i, item := range n.Content {
		item = resolve(item)
		if isNull(item) {
			continue
		}
		if item.Kind != yaml.ScalarNode {
			d.fail(item, "%s[%d] must be a string, not a %s (quote an item that contains \": \")", path, i, kindName(item))
			return nil
		}
		out = append(out, item.Value)
	}
	return out
}

// stringMap returns a mapping of scalars (environment variables, runtime versions).
func (d *decoder) stringMap(n *yaml.Node, path string) map[string]string {
	n = resolve(n)
	if isNull(n) {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		d.fail(n, "%s must be a mapping", path)
		return nil
	}
	out := make(map[string]string, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		key := n.Content[i].Value
		out[key] = d.scalar(n.Content[i+1], join(path, key))
	}
	return out
}

// flag reads a yes/no value. YAML 1.2 (yaml.v3) takes `yes` for a string, but buildspecs
// are written for CodeBuild's YAML 1.1 reader, where yes/no/on/off are booleans.
func (d *decoder) flag(n *yaml.Node, path string) bool {
	switch v := strings.ToLower(d.scalar(n, path)); v {
	case "yes", "true", "on", "y":
		return true
	case "", "no", "false", "off", "n":
		return false
	default:
		d.fail(n, "%s must be yes or no, not %q", path, v)
		return false
	}
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "mapping"
	case yaml.SequenceNode:
		return "list"
	default:
		return "scalar"
	}
}
