package console

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"sluice/pipelinedoc"

	"sluice"
)

// The formats a definition is shown and pasted in.
const (
	formatJSON = "json"
	formatYAML = "yaml"
)

// pipelineDoc is the wrapped form of a pipeline document: what `aws codepipeline
// get-pipeline` prints and what create-pipeline's --cli-input-json takes.
type pipelineDoc struct {
	Pipeline *sluice.PipelineDeclaration `json:"pipeline"`
	Metadata json.RawMessage             `json:"metadata,omitempty"` // get-pipeline's; ignored
	Tags     []docTag                    `json:"tags,omitempty"`
}

type docTag struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// encodeDeclaration writes d as the console shows it: wrapped as get-pipeline prints it,
// in format (JSON unless "yaml"), with the model's field names either way.
func encodeDeclaration(d sluice.PipelineDeclaration, format string) string {
	js, _ := json.MarshalIndent(pipelineDoc{Pipeline: &d}, "", "  ") // plain structs
	if format != formatYAML {
		return string(js) + "\n"
	}
	y, err := jsonToYAML(js)
	if err != nil {
		return string(js) + "\n" // cannot happen: the JSON was just made
	}
	return y
}

// formatOf is the format a pasted text is in: JSON when it starts with "{".
func formatOf(text string) string {
	if strings.HasPrefix(strings.TrimSpace(strings.TrimPrefix(text, "\ufeff")), "{") {
		return formatJSON
	}
	return formatYAML
}

// parsed is a pasted document, decoded.
type parsed struct {
	Decl   *sluice.PipelineDeclaration
	Tags   []sluice.Tag
	Format string
	Index  fieldIndex
}

// parseDocument decodes a pasted pipeline, JSON or YAML, wrapped or bare. A field the model
// does not have is an error, as the AWS CLI makes it, so a misspelt field is not dropped
// unseen. A text that does not decode is a docError naming its line (and column for JSON).
func parseDocument(text string) (*parsed, *docError) {
	body := []byte(strings.TrimPrefix(text, "\ufeff"))
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, &docError{Msg: "The document is empty: paste a pipeline declaration."}
	}
	p := &parsed{Format: formatOf(text)}
	js := body
	if p.Format == formatJSON {
		p.Index = indexJSON(body)
	} else {
		p.Index = indexYAML(body)
		var err error
		if js, _, err = pipelinedoc.FromYAML(body, docTarget); err != nil {
			return nil, yamlError(err)
		}
	}
	if derr := p.decode(js); derr != nil {
		if p.Format == formatJSON {
			return nil, jsonError(derr, newLineMap(body), p.Index)
		}
		return nil, jsonError(derr, lineMap{}, p.Index)
	}
	return p, nil
}

// decode decodes the JSON of either form into p.
func (p *parsed) decode(js []byte) error {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(js, &top); err != nil {
		var typ *json.UnmarshalTypeError
		if errors.As(err, &typ) {
			return errNotDeclaration
		}
		return err
	}
	if rootPath(keysOf(top)) != "" {
		var d sluice.PipelineDeclaration
		p.Decl = &d
		return pipelinedoc.Strict(js, &d)
	}
	var doc pipelineDoc
	if err := pipelinedoc.Strict(js, &doc); err != nil {
		return err
	}
	if doc.Pipeline == nil {
		return errors.New("pipeline is null; it should hold the pipeline declaration")
	}
	p.Decl = doc.Pipeline
	for _, t := range doc.Tags {
		p.Tags = append(p.Tags, sluice.Tag{Key: t.Key, Value: t.Value})
	}
	return nil
}

var errNotDeclaration = errors.New("the document should hold a pipeline declaration: an object with name, roleArn, artifactStore and stages")

func keysOf[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// docError is a document that does not decode: where (0 when unknown) and why.
type docError struct {
	Line, Col int
	Msg       string
}

var unknownField = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^json: unknown field "(.*)"$`) })

// jsonError says what is wrong with a document that did not decode, and where: lines maps
// offsets in the document's own JSON (empty for YAML, whose JSON is a conversion), ix finds
// a named field's line.
func jsonError(err error, lines lineMap, ix fieldIndex) *docError {
	var (
		syn *json.SyntaxError
		typ *json.UnmarshalTypeError
	)
	at := func(offset int64, field string) (int, int) {
		if len(lines.starts) > 0 {
			pos := lines.at(int(offset) - 1)
			return pos.line, pos.col
		}
		return ix.lineOfField(field), 0
	}
	switch {
	case errors.As(err, &syn):
		l, c := at(syn.Offset, "")
		return &docError{Line: l, Col: c, Msg: "Not valid JSON: " + syn.Error()}
	case errors.As(err, &typ) && typ.Field != "":
		l, c := at(typ.Offset, typ.Field)
		return &docError{Line: l, Col: c, Msg: fmt.Sprintf("%s must be %s, not %s", typ.Field, pipelinedoc.KindName(typ.Type), article(typ.Value))}
	}
	if m := unknownField().FindStringSubmatch(err.Error()); m != nil {
		return &docError{Line: ix.lineOfField(m[1]), Msg: fmt.Sprintf("Unknown field %q: fields are named as in CodePipeline's API (name, roleArn, stages, actions, actionTypeId, ...).", m[1])}
	}
	return &docError{Msg: strings.ToUpper(err.Error()[:1]) + err.Error()[1:] + "."}
}

func article(v string) string {
	if v == "" {
		return "that"
	}
	if strings.ContainsAny(v[:1], "aeiou") {
		return "an " + v
	}
	return "a " + v
}

var yamlLine = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`line (\d+)(?:: column (\d+))?: (.*)`) })

// yamlError names the line of a YAML syntax error.
func yamlError(err error) *docError {
	m := yamlLine().FindStringSubmatch(err.Error())
	if m == nil {
		return &docError{Msg: "Not valid JSON or YAML: " + err.Error()}
	}
	l, _ := strconv.Atoi(m[1])
	c, _ := strconv.Atoi(m[2])
	return &docError{Line: l, Col: c, Msg: "Not valid YAML: " + m[3]}
}

// docTarget is the type a pasted document decodes into: wrapped when it has the wrapper's
// members, bare otherwise.
func docTarget(top map[string]any) reflect.Type {
	if rootPath(keysOf(top)) == "" {
		return reflect.TypeFor[pipelineDoc]()
	}
	return reflect.TypeFor[sluice.PipelineDeclaration]()
}
