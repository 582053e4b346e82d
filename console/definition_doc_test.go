package console

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestDocumentRoundTrip: every pipeline of the shared corpus, shown as JSON or YAML, pastes
// back as the same declaration.
func TestDocumentRoundTrip(t *testing.T) {
	t.Parallel()
	files, _ := filepath.Glob("/work/shared/corpus/pipelines/*.json")
	if len(files) == 0 {
		t.Skip("the shared corpus is not on this machine")
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			t.Parallel()
			raw, err := os.ReadFile(file)
			require.NoError(t, err)
			p, derr := parseDocument(string(raw))
			if derr != nil {
				require.Contains(t, derr.Msg, "Unknown field", "only fields the model lacks (get-pipeline's old __type) are refused")
				return
			}
			for _, format := range []string{formatJSON, formatYAML} {
				text := encodeDeclaration(*p.Decl, format)
				require.Equal(t, format, formatOf(text))
				again, derr := parseDocument(text)
				require.Nil(t, derr, "%s: %v", format, derr)
				want, _ := json.Marshal(p.Decl) // empty lists and absent ones are the same to the model
				got, _ := json.Marshal(again.Decl)
				require.JSONEq(t, string(want), string(got), format)
			}
		})
	}
}

func TestParseDocumentErrors(t *testing.T) {
	t.Parallel()
	for text, want := range map[string]docError{
		"":                                 {Msg: "The document is empty: paste a pipeline declaration."},
		"name: a\n  bad: [\n":              {Line: 2, Msg: "Not valid YAML: "},
		"[1, 2]":                           {Msg: "The document should hold a pipeline declaration: an object with name, roleArn, artifactStore and stages."},
		"{\"pipeline\": null}":             {Msg: "Pipeline is null; it should hold the pipeline declaration."},
		"{\"name\": \"a\"}\n{\"name\": 1}": {Line: 2, Msg: "Not valid JSON: invalid character '{' after top-level value"},
	} {
		_, got := parseDocument(text)
		require.NotNil(t, got, text)
		require.Equal(t, want.Line, got.Line, text)
		require.Contains(t, got.Msg, want.Msg, text)
	}
}
