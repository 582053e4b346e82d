package api

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// editedProject is projectBody(name) changed by edit.
func editedProject(t *testing.T, name string, edit func(p map[string]any)) string {
	t.Helper()
	var p map[string]any
	require.NoError(t, json.Unmarshal([]byte(projectBody(name)), &p))
	edit(p)
	b, err := json.Marshal(p)
	require.NoError(t, err)
	return string(b)
}

func projectCases(t *testing.T) []badInput {
	edited := func(edit func(p map[string]any)) string { return editedProject(t, "edited", edit) }
	env := func(p map[string]any) map[string]any { return p["environment"].(map[string]any) }
	names := `{"names":[` + strings.Repeat(`"n",`, 100) + `"n"]}`
	return []badInput{
		{"ErrMembersRequired", "CreateProject", `{}`, "InvalidInputException",
			[]string{"5 validation errors", "'name'", "'source'", "'artifacts'", "'environment'", "'serviceRole'"}},
		{"ErrNamePattern", "CreateProject", edited(func(p map[string]any) { p["name"] = "-web" }), "InvalidInputException", []string{"'name'", "regular expression"}},
		{"ErrNameLength", "CreateProject", edited(func(p map[string]any) { p["name"] = strings.Repeat("n", 151) }), "InvalidInputException", []string{"'name'", "150"}},
		{"ErrSourceType", "CreateProject", edited(func(p map[string]any) { p["source"] = map[string]any{"buildspec": "b.yml"} }), "InvalidInputException", []string{"'source.type'", "null"}},
		{"ErrArtifactsType", "CreateProject", edited(func(p map[string]any) { p["artifacts"] = map[string]any{"type": "ZIP"} }), "InvalidInputException", []string{"'artifacts.type'", "ZIP"}},
		{"ErrEnvironmentImage", "CreateProject", edited(func(p map[string]any) { delete(env(p), "image") }), "InvalidInputException", []string{"'environment.image'"}},
		{"ErrComputeType", "CreateProject", edited(func(p map[string]any) { env(p)["computeType"] = "HUGE" }), "InvalidInputException", []string{"'environment.computeType'", "HUGE"}},
		{"ErrVariableValue", "CreateProject", edited(func(p map[string]any) { env(p)["environmentVariables"] = []any{map[string]any{"name": "A"}} }),
			"InvalidInputException", []string{"'environment.environmentVariables.1.member.value'"}},
		{"ErrVariableType", "CreateProject", edited(func(p map[string]any) {
			env(p)["environmentVariables"] = []any{map[string]any{"name": "A", "value": "b", "type": "SECRET"}}
		}), "InvalidInputException", []string{"'environment.environmentVariables.1.member.type'", "SECRET"}},
		{"ErrReservedVariable", "CreateProject", edited(func(p map[string]any) {
			env(p)["environmentVariables"] = []any{map[string]any{"name": "CODEBUILD_X", "value": "b"}}
		}), "InvalidInputException", []string{"'environment.environmentVariables.1.member.name'", "CODEBUILD_"}},
		{"ErrTimeoutLow", "CreateProject", edited(func(p map[string]any) { p["timeoutInMinutes"] = 4 }), "InvalidInputException", []string{"'timeoutInMinutes'", "between 5 and 2160"}},
		{"ErrTimeoutHigh", "CreateProject", edited(func(p map[string]any) { p["timeoutInMinutes"] = 2161 }), "InvalidInputException", []string{"'timeoutInMinutes'"}},
		{"ErrQueuedTimeout", "CreateProject", edited(func(p map[string]any) { p["queuedTimeoutInMinutes"] = 481 }), "InvalidInputException", []string{"'queuedTimeoutInMinutes'", "480"}},
		{"ErrDescription", "CreateProject", edited(func(p map[string]any) { p["description"] = strings.Repeat("d", 256) }), "InvalidInputException", []string{"'description'", "255"}},
		{"ErrTagKey", "CreateProject", edited(func(p map[string]any) { p["tags"] = []any{map[string]any{"key": "a*b", "value": "v"}} }), "InvalidInputException", []string{"'tags.1.member.key'"}},
		{"ErrTimeoutString", "CreateProject", edited(func(p map[string]any) { p["timeoutInMinutes"] = "60" }), "SerializationException", []string{"timeoutInMinutes", "integer"}},
		{"ErrBadgeString", "CreateProject", edited(func(p map[string]any) { p["badgeEnabled"] = "yes" }), "SerializationException", []string{"badgeEnabled", "boolean"}},
		{"ErrVpcConfigList", "CreateProject", edited(func(p map[string]any) { p["vpcConfig"] = []any{} }), "SerializationException", []string{"vpcConfig", "object"}},
		{"ErrNameTaken", "CreateProject", projectBody(fixtureProject), "ResourceAlreadyExistsException", []string{fixtureProject}},
		{"ErrNameRequired", "UpdateProject", `{"timeoutInMinutes":30}`, "InvalidInputException", []string{"'name'"}},
		{"ErrNotFound", "UpdateProject", `{"name":"nope","timeoutInMinutes":30}`, "ResourceNotFoundException", []string{"nope"}},
		{"ErrTimeout", "UpdateProject", `{"name":"` + fixtureProject + `","timeoutInMinutes":1}`, "InvalidInputException", []string{"'timeoutInMinutes'"}},
		{"ErrEnvironmentWhole", "UpdateProject", `{"name":"` + fixtureProject + `","environment":{"environmentVariables":[]}}`,
			"InvalidInputException", []string{"'environment.type'", "'environment.image'", "'environment.computeType'"}},
		{"ErrNamesRequired", "BatchGetProjects", `{}`, "InvalidInputException", []string{"'names'"}},
		{"ErrNamesEmpty", "BatchGetProjects", `{"names":[]}`, "InvalidInputException", []string{"'names'", "greater than or equal to 1"}},
		{"ErrTooManyNames", "BatchGetProjects", names, "InvalidInputException", []string{"'names'", "100"}},
		{"ErrEmptyName", "BatchGetProjects", `{"names":[""]}`, "InvalidInputException", []string{"'names.1.member'"}},
		{"ErrSortBy", "ListProjects", `{"sortBy":"SIZE"}`, "InvalidInputException", []string{"'sortBy'", "SIZE"}},
		{"ErrSortOrder", "ListProjects", `{"sortOrder":"UP"}`, "InvalidInputException", []string{"'sortOrder'", "UP"}},
		{"ErrNextToken", "ListProjects", `{"nextToken":"bogus"}`, "InvalidInputException", []string{"nextToken"}},
		{"ErrNameRequired", "DeleteProject", `{}`, "InvalidInputException", []string{"'name'"}},
	}
}

// TestProjectBadInput sends the CodeBuild operations requests they must refuse, and checks
// that a refused request leaves the projects as they were.
func TestProjectBadInput(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for _, c := range projectCases(t) {
		t.Run(c.op+"/"+c.name, func(t *testing.T) {
			t.Parallel()
			before := h.projects(t)
			r := h.call(t, targetOf(c.op), []byte(c.body))
			r.requireError(t, c.exception, c.parts...)
			require.Equal(t, before, h.projects(t), "a refused call changed the projects")
			require.NotContains(t, h.log.String(), "panic in handler")
		})
	}
}

// TestDeleteProjectIdempotent checks that deleting a project that does not exist answers
// as deleting one that does.
func TestDeleteProjectIdempotent(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	r := h.call(t, codebuildTarget+"DeleteProject", []byte(`{"name":"never-created"}`))
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	require.JSONEq(t, `{}`, string(r.body))
}

// projects is the visible state of every project: the list and each project.
func (h *harness) projects(t *testing.T) string {
	t.Helper()
	list := h.call(t, codebuildTarget+"ListProjects", []byte(`{}`))
	require.Equal(t, http.StatusOK, list.status, "%s", list.body)
	var out struct {
		Projects []string `json:"projects"`
	}
	require.NoError(t, json.Unmarshal(list.body, &out))
	names, err := json.Marshal(map[string]any{"names": append(out.Projects, "-")})
	require.NoError(t, err)
	get := h.call(t, codebuildTarget+"BatchGetProjects", names)
	require.Equal(t, http.StatusOK, get.status, "%s", get.body)
	return string(list.body) + string(get.body)
}
