package validate_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/validate"
)

// TestDeclarationCorpus: every valid corpus pipeline, as its file sends it (with its empty
// inputArtifacts and outputArtifacts lists), passes the request's checks.
func TestDeclarationCorpus(t *testing.T) {
	t.Parallel()
	for _, file := range corpusFiles(t, corpusDir) {
		t.Run(filepath.Base(file), func(t *testing.T) {
			t.Parallel()
			b, err := os.ReadFile(file)
			require.NoError(t, err)
			var doc struct {
				Pipeline json.RawMessage `json:"pipeline"`
			}
			require.NoError(t, json.Unmarshal(b, &doc))
			require.Nil(t, validate.Declaration(doc.Pipeline, decodeFile(t, file)))
		})
	}
}

func TestDeclaration(t *testing.T) {
	t.Parallel()
	check := func(t *testing.T, raw string) *sluice.Error {
		var d sluice.PipelineDeclaration
		require.NoError(t, json.Unmarshal([]byte(raw), &d))
		return validate.Declaration(json.RawMessage(raw), &d)
	}
	const action = `{"name":"a","actionTypeId":{"category":"Build","owner":"AWS","provider":"CodeBuild","version":"1"}%s}`
	pipeline := func(member string) string {
		return `{"name":"p","roleArn":"r","stages":[{"name":"s","actions":[` + fmtAction(action, member) + `]}]}`
	}
	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		require.Nil(t, check(t, pipeline(`,"runOrder":1,"inputArtifacts":[],"outputArtifacts":[],"configuration":{}`)))
	})
	t.Run("ErrRunOrderZero", func(t *testing.T) {
		t.Parallel()
		err := check(t, pipeline(`,"runOrder":0`))
		require.NotNil(t, err)
		require.Equal(t, sluice.EInvalid, err.Code)
		require.Equal(t, "1 validation error detected: Value '0' at 'pipeline.stages.1.member.actions.1.member.runOrder' "+
			"failed to satisfy constraint: Member must have value greater than or equal to 1", err.Message)
	})
	t.Run("ErrEmptyName", func(t *testing.T) {
		t.Parallel()
		err := check(t, `{"name":"","roleArn":"r","stages":[]}`)
		require.NotNil(t, err)
		require.Contains(t, err.Message, "Value '' at 'pipeline.name' failed to satisfy constraint: Member must have length greater than or equal to 1")
		require.NotContains(t, err.Message, "must not be null")
	})
	t.Run("ErrCommandsEmpty", func(t *testing.T) {
		t.Parallel()
		err := check(t, pipeline(`,"commands":[]`))
		require.NotNil(t, err)
		require.Contains(t, err.Message, "Value at 'pipeline.stages.1.member.actions.1.member.commands' failed to satisfy constraint: Member must have length greater than or equal to 1")
	})
	t.Run("AbsentIsNotZero", func(t *testing.T) {
		t.Parallel()
		require.Nil(t, check(t, pipeline(``)))
	})
}

func fmtAction(format, member string) string {
	return fmt.Sprintf(format, member)
}
