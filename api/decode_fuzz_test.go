package api

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
)

// FuzzDecode calls the API's request decoding directly, without a server: decode itself
// and the operations' separate readers (name, page and repository calls, CodeBuild's
// project documents, the long-poll header, the partner job operations' requests). Whatever the body, each one either reads it
// or fails with an error the wire answers with HTTP 400 and a named exception, never a
// 500; decode reads only JSON; a project CreateProject accepts is read back the same from
// the document Sluice keeps, and UpdateProject's changes applied to it are checked alike.
func FuzzDecode(f *testing.F) {
	for _, t := range fuzzTargets {
		f.Add([]byte(t.body))
	}
	for _, b := range badBodies() {
		f.Add([]byte(b))
	}
	for _, b := range wrongTypes(projectBody("made")) {
		f.Add([]byte(b))
	}
	f.Add([]byte(projectBody("made")))
	f.Add([]byte(`{"name":"p","source":{"type":"S3"},"artifacts":{"type":"S3"},"serviceRole":"r","environment":{"environmentVariables":[{"name":"A"}]}}`))
	old, err := readProjectDoc([]byte(projectBody("old")))
	require.NoError(f, err)
	oldProject, err := old.project()
	require.NoError(f, err)
	f.Fuzz(func(t *testing.T, body []byte) {
		c := &call{body: body, header: http.Header{PollWaitHeader: {string(body)}}}
		var in struct {
			Pipeline *sluice.PipelineDeclaration `json:"pipeline"`
			Tags     []tag                       `json:"tags"`
			Created  *epoch                      `json:"created"`
			Version  *int                        `json:"version"`
		}
		err := decode(body, &in)
		requireWireError(t, err)
		if err == nil && len(bytes.TrimSpace(body)) > 0 {
			require.True(t, json.Valid(body), "decode read a body that is not JSON")
		}
		_, err = nameCall(c, nameRule)
		requireWireError(t, err)
		_, err = pageCall(c, 1000)
		requireWireError(t, err)
		_, err = repoCall(c)
		requireWireError(t, err)
		_, err = pollWait(c)
		requireWireError(t, err)
		var decl struct {
			ActionType *actionTypeDecl `json:"actionType"`
		}
		if err := decode(body, &decl); err == nil && decl.ActionType != nil {
			var m members
			decl.ActionType.check(&m, "actionType.")
			if err := m.err(); err == nil {
				decl.ActionType.core()
			} else {
				requireWireError(t, err)
			}
		}
		var targets deployTargetsIn
		if err := decode(body, &targets); err == nil {
			_, err = targets.params()
			requireWireError(t, err)
		}
		checkConditionInputs(t, body)
		_, err = readPartnerPoll(c)
		requireWireError(t, err)
		for _, nonce := range []bool{false, true} {
			_, err = readPartnerJob(body, nonce)
			requireWireError(t, err)
		}
		_, _, err = readPartnerSuccess(body)
		requireWireError(t, err)
		_, _, err = readPartnerFailure(body)
		requireWireError(t, err)
		checkProject(t, body, oldProject)
	})
}

// checkConditionInputs reads body as OverrideStageCondition, RollbackStage and
// ListRuleExecutions (ListActionExecutions' reader) do.
func checkConditionInputs(t *testing.T, body []byte) {
	var override overrideConditionInput
	if err := decode(body, &override); err == nil {
		requireWireError(t, override.check())
	}
	var rollback rollbackInput
	if err := decode(body, &rollback); err == nil {
		requireWireError(t, rollback.check())
	}
	var list actionExecutionsInput
	if err := decode(body, &list); err == nil && list.check() == nil {
		_, _, err = list.executionFilter()
		requireWireError(t, err)
	}
}

// checkProject reads body as CreateProject and UpdateProject do.
func checkProject(t *testing.T, body []byte, old *sluice.BuildProject) {
	doc, err := readProjectDoc(body)
	requireWireError(t, err)
	if err != nil {
		return
	}
	_, err = doc.applyTo(old)
	requireWireError(t, err)
	p, err := doc.project()
	requireWireError(t, err)
	if err != nil {
		return
	}
	kept, err := readProjectDoc(p.Document)
	require.NoError(t, err)
	again, err := kept.project()
	require.NoError(t, err)
	require.Equal(t, p, again)
}

// requireWireError: err, if any, is answered as a 400 with a named exception and a message.
func requireWireError(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	rec := httptest.NewRecorder()
	writeError(rec, slog.New(slog.NewTextHandler(io.Discard, nil)), "req-1", "111111111111", err)
	require.Equal(t, http.StatusBadRequest, rec.Code, "%v", err)
	var out struct {
		Type    string `json:"__type"`
		Message string `json:"message"`
	}
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &out))
	require.NotEmpty(t, out.Type)
	require.NotEmpty(t, out.Message, "%v", err)
}
