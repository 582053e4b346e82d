package console

import (
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
)

const wrappedJSON = `{
  "pipeline": {
    "name": "app",
    "stages": [
      {
        "name": "Source",
        "actions": [ {"name": "Code", "runOrder": 1} ]
      },
      {
        "name": "Build",
        "actions": [
          {
            "name": "Make",
            "runOrder": 0
          }
        ]
      }
    ]
  },
  "tags": [{"key": "k", "value": "v"}]
}`

const bareYAML = `name: app
stages:
- name: Source
  actions:
  - name: Code
    runOrder: 1
- name: Build
  actions:
  - name: Make
    runOrder: 0
`

func TestFieldIndex(t *testing.T) {
	t.Parallel()
	cases := map[string]int{
		"pipeline.name": 3,
		"pipeline.stages.1.member.actions.1.member.runOrder": 7,
		"pipeline.stages.2.member.name":                      10,
		"pipeline.stages.2.member.actions.1.member.runOrder": 14,
		"pipeline.stages.2.member.actions.1.member.region":   12, // absent: its action
		"tags.1.member.value":                                20,
	}
	ix := indexJSON([]byte(wrappedJSON))
	for path, line := range cases {
		require.Equal(t, line, ix.line(path), "JSON %s", path)
	}
	y := indexYAML([]byte(bareYAML))
	for path, line := range map[string]int{
		"pipeline.name": 1, "pipeline.stages.1.member.actions.1.member.runOrder": 6,
		"pipeline.stages.2.member.name": 7, "pipeline.stages.2.member.actions.1.member.runOrder": 10,
		"pipeline.stages.2.member.actions.1.member": 9,
	} {
		require.Equal(t, line, y.line(path), "YAML %s", path)
	}
	require.Equal(t, 6, y.lineOfField("stages.actions.runOrder"), "the first such field")
}

func TestPlaceErrors(t *testing.T) {
	t.Parallel()
	d := &sluice.PipelineDeclaration{Name: "app", Stages: []sluice.StageDeclaration{
		{Name: "Source", Actions: []sluice.ActionDeclaration{{Name: "Code"}}},
		{Name: "Build", Actions: []sluice.ActionDeclaration{{Name: "Make"}}},
	}}
	ix := indexJSON([]byte(wrappedJSON))
	t.Run("ModelPaths", func(t *testing.T) {
		t.Parallel()
		got := placeErrors("2 validation errors detected: Value '0' at 'pipeline.stages.2.member.actions.1.member.runOrder' failed to satisfy constraint: a; b; "+
			"Value 'x' at 'pipeline.name' failed to satisfy constraint: c", d, ix)
		require.Equal(t, []fieldError{
			{Line: 14, Msg: "Value '0' at 'pipeline.stages.2.member.actions.1.member.runOrder' failed to satisfy constraint: a; b"},
			{Line: 3, Msg: "Value 'x' at 'pipeline.name' failed to satisfy constraint: c"},
		}, got)
	})
	t.Run("Names", func(t *testing.T) {
		t.Parallel()
		for msg, line := range map[string]int{
			"Action 'Make' in stage 'Build' references 'x'":                                                                 13,
			"ActionType (Category: 'Build') in action 'Make' is not available":                                              13,
			"Action Code declares 0 output artifacts":                                                                       7,
			`Action configuration for the new action "Make" contains an invalid configuration for the secret property "T".`: 13,
			"Stage 'Build' has no actions":                                                                                  10,
			"Pipeline has only 1 stage(s)":                                                                                  0,
		} {
			require.Equal(t, line, placeErrors(msg, d, ix)[0].Line, msg)
		}
	})
}
