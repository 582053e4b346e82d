package validate_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/validate"
)

// FuzzPipeline decodes arbitrary CreatePipeline bodies as the API does ({"pipeline": …}
// into the root's declaration) and validates them. A declaration is valid or refused with
// one of the codes CreatePipeline answers and a message, the same message every time; a
// valid one, encoded and decoded again as GetPipeline answers it, is still valid. The
// request's own check (validate.Declaration, zeros included) answers ValidationException or
// nothing, the same every time.
func FuzzPipeline(f *testing.F) {
	pipelines := sharedCorpus("pipelines")
	for _, dir := range []string{pipelines, filepath.Join(pipelines, "invalid")} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.json")) // a missing corpus leaves the seeds below
		for _, name := range files {
			b, err := os.ReadFile(name)
			require.NoError(f, err)
			f.Add(b)
		}
	}
	for _, b := range []string{`{"pipeline":null}`, `{"pipeline":{}}`, `{"pipeline":{"stages":[{"actions":[{}]}]}}`,
		`{"pipeline":{"name":"p","roleArn":"r","stages":[],"variables":[{"name":"v"}],"triggers":[{}]}}`} {
		f.Add([]byte(b))
	}
	lookup := jenkinsLookup()
	codes := []sluice.Code{sluice.EInvalid, sluice.EStructure, sluice.EStageDecl, sluice.EActionDecl, sluice.EBlockerDecl, sluice.ELimit}
	f.Fuzz(func(t *testing.T, body []byte) {
		var in struct {
			Pipeline *sluice.PipelineDeclaration `json:"pipeline"`
		}
		if json.Unmarshal(body, &in) != nil {
			return // the API answers SerializationException (FuzzDecode in api)
		}
		var raw struct {
			Pipeline json.RawMessage `json:"pipeline"`
		}
		require.NoError(t, json.Unmarshal(body, &raw))
		if derr := validate.Declaration(raw.Pipeline, in.Pipeline); derr != nil { // the request's own check, zeros included
			require.Equal(t, sluice.EInvalid, derr.Code, derr.Message)
			require.Equal(t, derr.Message, validate.Declaration(raw.Pipeline, in.Pipeline).Message, "the same request, another answer")
		}
		err := validate.Pipeline(in.Pipeline, lookup)
		if err != nil {
			var se *sluice.Error
			require.True(t, errors.As(err, &se), "not a sluice.Error: %v", err)
			require.Contains(t, codes, se.Code, se.Message)
			require.NotEmpty(t, se.Message)
			require.Equal(t, err.Error(), validate.Pipeline(in.Pipeline, lookup).Error(), "the same declaration, another answer")
			return
		}
		out, err := json.Marshal(in.Pipeline)
		require.NoError(t, err)
		var again sluice.PipelineDeclaration
		require.NoError(t, json.Unmarshal(out, &again))
		require.NoError(t, validate.Pipeline(&again, lookup), "%s", out)
	})
}

// sharedCorpus is the directory sub of the shared corpus: $SLUICE_CORPUS_DIR/sub, or the
// first shared/corpus/sub above the working directory (so a git worktree finds it too).
func sharedCorpus(sub string) string {
	if root := os.Getenv("SLUICE_CORPUS_DIR"); root != "" {
		return filepath.Join(root, sub)
	}
	dir, _ := os.Getwd()
	for ; filepath.Dir(dir) != dir; dir = filepath.Dir(dir) {
		if c := filepath.Join(dir, "shared", "corpus", sub); exists(c) {
			return c
		}
	}
	return corpusDir
}

func exists(name string) bool {
	_, err := os.Stat(name)
	return err == nil
}
