package validate_test

import (
	"testing"

	"sluice"
)

func TestActions(t *testing.T) {
	t.Parallel()

	runCases(t, []ruleCase{
		{name: "ErrDuplicateActionName", mutate: func(d *sluice.PipelineDeclaration) { action(d, 1, 1).Name = "Compile" },
			code: sluice.EActionDecl, texts: []string{"Action name 'Compile' is used more than once in stage 'Build'"}},
		{name: "OKSameActionNameInOtherStage", mutate: func(d *sluice.PipelineDeclaration) { action(d, 1, 1).Name = "Fetch" }},
		{name: "ErrUnknownType", mutate: func(d *sluice.PipelineDeclaration) {
			action(d, 1, 0).ActionTypeID = id("Build", "Custom", "X")
		}, code: sluice.EActionDecl, texts: []string{"ActionType (Category: 'Build', Provider: 'X', Owner: 'Custom', Version: '1') in action 'Compile' is not available in region 'US_EAST_1'"}},
		{name: "ErrUnknownVersion", mutate: func(d *sluice.PipelineDeclaration) { action(d, 1, 0).ActionTypeID.Version = "2" },
			code: sluice.EActionDecl, texts: []string{"Version: '2') in action 'Compile' is not available"}},
		{name: "ErrTooFewInputs", mutate: func(d *sluice.PipelineDeclaration) { action(d, 1, 1).InputArtifacts = nil },
			code: sluice.EActionDecl, texts: []string{"Action Ship declares 0 input artifacts which is less than the minimum count (1)"}},
		{name: "ErrTooManyInputs", mutate: func(d *sluice.PipelineDeclaration) {
			action(d, 1, 1).InputArtifacts = []sluice.InputArtifact{{Name: "Src"}, {Name: "Bin"}}
		}, code: sluice.EActionDecl, texts: []string{"Action Ship declares 2 input artifacts which is greater than the maximum count (1)"}},
		{name: "ErrSourceWithoutOutput", mutate: func(d *sluice.PipelineDeclaration) {
			action(d, 0, 0).OutputArtifacts = nil
			action(d, 1, 0).InputArtifacts[0].Name = "Bin"
		}, code: sluice.EActionDecl, texts: []string{"Action Fetch declares 0 output artifacts which is less than the minimum count (1)"}},
		{name: "ErrTooManyOutputs", mutate: func(d *sluice.PipelineDeclaration) {
			action(d, 1, 1).OutputArtifacts = []sluice.OutputArtifact{{Name: "Out"}}
		}, code: sluice.EActionDecl, texts: []string{"Action Ship declares 1 output artifacts which is greater than the maximum count (0)"}},
	})
}

func TestCompute(t *testing.T) {
	t.Parallel()

	v2 := v2Pipeline
	runCases(t, []ruleCase{
		{name: "ErrCommandsMissing", base: v2, mutate: func(d *sluice.PipelineDeclaration) { action(d, 1, 2).Commands = nil },
			code: sluice.EActionDecl, texts: []string{"Action Script must have a non-empty commands field"}},
		{name: "ErrCommandsEmptyList", base: v2, mutate: func(d *sluice.PipelineDeclaration) { action(d, 1, 2).Commands = []string{} },
			code: sluice.EActionDecl, texts: []string{"Action Script must have a non-empty commands field"}},
		{name: "ErrMultiLineCommand", base: v2, mutate: func(d *sluice.PipelineDeclaration) { action(d, 1, 2).Commands = []string{"echo a\necho b"} },
			code: sluice.EActionDecl, texts: []string{"Action Script in stage 'Build' has a multi-line command at 'pipeline.stages.2.member.actions.3.member.commands.1.member'"}},
		{name: "ErrCommandsOnBuild", base: v2, mutate: func(d *sluice.PipelineDeclaration) { action(d, 1, 0).Commands = []string{"make"} },
			code: sluice.EActionDecl, texts: []string{"The following action cannot contain a commands field: Compile. To use the commands field, use a compute action."}},
		{name: "ErrFilesOnBuild", base: v2, mutate: func(d *sluice.PipelineDeclaration) { action(d, 1, 0).OutputArtifacts[0].Files = []string{"bin/*"} },
			code: sluice.EActionDecl, texts: []string{"cannot contain a commands field: Compile.", "Output artifact 'Bin' of action 'Compile' in stage 'Build' declares files"}},
		{name: "ErrOutputVariablesOnBuild", base: v2, mutate: func(d *sluice.PipelineDeclaration) { action(d, 1, 0).OutputVariables = []string{"X"} },
			code: sluice.EActionDecl, texts: []string{"The following action cannot contain a outputVariables field: Compile."}},
		{name: "ErrEnvironmentVariablesOnBuild", base: v2, mutate: func(d *sluice.PipelineDeclaration) {
			action(d, 1, 0).EnvironmentVariables = []sluice.EnvironmentVariable{{Name: "X", Value: "y"}}
		}, code: sluice.EActionDecl, texts: []string{"cannot contain a environmentVariables field: Compile."}},
	})
}

func TestConfiguration(t *testing.T) {
	t.Parallel()

	custom := func(d *sluice.PipelineDeclaration, config map[string]string) {
		a := action(d, 1, 0)
		a.ActionTypeID, a.Configuration = customType.ID, config
	}
	runCases(t, []ruleCase{
		{name: "ErrRequiredKeyMissing", mutate: func(d *sluice.PipelineDeclaration) { delete(action(d, 1, 1).Configuration, "DeploymentGroupName") },
			code: sluice.EActionDecl, texts: []string{"Action configuration for action 'Ship' in stage 'Build' is missing required configuration key 'DeploymentGroupName'"}},
		{name: "ErrUnknownKeyOnStrictBuiltIn", mutate: func(d *sluice.PipelineDeclaration) { action(d, 1, 0).Configuration["Projectname"] = "x" },
			code: sluice.EActionDecl, texts: []string{"Action configuration for action 'Compile' in stage 'Build' contains unknown configuration key 'Projectname'"}},
		{name: "OKUnknownKeyOnLenientBuiltIn", mutate: func(d *sluice.PipelineDeclaration) {
			a := action(d, 1, 1)
			a.ActionTypeID = id("Deploy", "AWS", "OpsWorks")
			a.Configuration = map[string]string{"Stack": "s", "App": "a", "Layer": "l"}
		}},
		{name: "OKWorkerLabel", mutate: func(d *sluice.PipelineDeclaration) { action(d, 1, 0).Configuration["WorkerLabel"] = "gpu_2" }},
		{name: "ErrWorkerLabel", mutate: func(d *sluice.PipelineDeclaration) { action(d, 1, 0).Configuration["WorkerLabel"] = "gpu.large" },
			code: sluice.EActionDecl, texts: []string{"action 'Compile' in stage 'Build' has WorkerLabel 'gpu.large'"}},
		{name: "OKOptionalKey", mutate: func(d *sluice.PipelineDeclaration) { action(d, 0, 0).Configuration["PollForSourceChanges"] = "false" }},
		{name: "OKCustomType", mutate: func(d *sluice.PipelineDeclaration) { custom(d, map[string]string{"Project": "app-1", "Token": "****"}) }},
		{name: "ErrCustomRequiredMissing", mutate: func(d *sluice.PipelineDeclaration) { custom(d, map[string]string{"Token": "t"}) },
			code: sluice.EActionDecl, texts: []string{"missing required configuration key 'Project'"}},
		{name: "ErrCustomUnknownKey", mutate: func(d *sluice.PipelineDeclaration) { custom(d, map[string]string{"Project": "p", "Extra": "x"}) },
			code: sluice.EActionDecl, texts: []string{"contains unknown configuration key 'Extra'"}},
		{name: "ErrQueryableTooLong", mutate: func(d *sluice.PipelineDeclaration) {
			custom(d, map[string]string{"Project": "a-very-long-project-name"})
		},
			code: sluice.EActionDecl, texts: []string{"value 'a-very-long-project-name' for queryable property 'Project'"}},
		{name: "ErrQueryableCharacters", mutate: func(d *sluice.PipelineDeclaration) { custom(d, map[string]string{"Project": "app.1"}) },
			code: sluice.EActionDecl, texts: []string{"for queryable property 'Project'"}},
		{name: "OKCustomTypeWithoutProperties", mutate: func(d *sluice.PipelineDeclaration) {
			a := action(d, 1, 1)
			a.ActionTypeID, a.Configuration = bareCustomType.ID, map[string]string{"Anything": "goes"}
		}},
	})
}
