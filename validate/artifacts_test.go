package validate_test

import (
	"testing"

	"sluice"
)

func TestArtifacts(t *testing.T) {
	t.Parallel()

	runCases(t, []ruleCase{
		{name: "ErrDuplicateOutputName", mutate: func(d *sluice.PipelineDeclaration) { action(d, 1, 0).OutputArtifacts[0].Name = "Src" },
			code: sluice.EStructure, texts: []string{"Output artifact name 'Src' is declared by action 'Fetch' in stage 'Source' and again by action 'Compile' in stage 'Build'"}},
		{name: "ErrInputNeverProduced", mutate: func(d *sluice.PipelineDeclaration) { action(d, 1, 1).InputArtifacts[0].Name = "Nope" },
			code: sluice.EStructure, texts: []string{"Input artifact 'Nope' of action 'Ship' in stage 'Build' is not the output artifact of any action"}},
		{name: "ErrInputFromSameRunOrder", mutate: func(d *sluice.PipelineDeclaration) { action(d, 1, 1).RunOrder = 1 },
			code: sluice.EStructure, texts: []string{"Input artifact 'Bin' of action 'Ship' in stage 'Build' is output by action 'Compile' in stage 'Build', which does not run before it"}},
		{name: "ErrInputFromLaterRunOrder", mutate: func(d *sluice.PipelineDeclaration) { action(d, 1, 0).RunOrder = 3 },
			code: sluice.EStructure, texts: []string{"Input artifact 'Bin' of action 'Ship'"}},
		{name: "ErrInputFromLaterStage", mutate: func(d *sluice.PipelineDeclaration) {
			pkg := *action(d, 1, 0)
			pkg.Name, pkg.OutputArtifacts = "Package", []sluice.OutputArtifact{{Name: "Pkg"}}
			d.Stages = append(d.Stages, sluice.StageDeclaration{Name: "Late", Actions: []sluice.ActionDeclaration{pkg}})
			action(d, 1, 1).InputArtifacts[0].Name = "Pkg"
		}, code: sluice.EStructure, texts: []string{"Input artifact 'Pkg' of action 'Ship' in stage 'Build' is output by action 'Package' in stage 'Late', which does not run before it"}},
		{name: "OKGapInRunOrder", mutate: func(d *sluice.PipelineDeclaration) { action(d, 1, 1).RunOrder = 7 }},
	})
}

func TestNamespaces(t *testing.T) {
	t.Parallel()

	runCases(t, []ruleCase{
		{name: "ErrDuplicateNamespace", mutate: func(d *sluice.PipelineDeclaration) { action(d, 1, 0).Namespace = "SourceVars" },
			code: sluice.EActionDecl, texts: []string{"Namespaces must be unique across the pipeline definition. The following occur more than once in the pipeline. StageName=[Build], ActionName=[Compile], Namespace=[SourceVars]"}},
		{name: "ErrReservedCodePipeline", mutate: func(d *sluice.PipelineDeclaration) { action(d, 1, 0).Namespace = "codepipeline" },
			code: sluice.EActionDecl, texts: []string{"Namespace 'codepipeline' of action 'Compile' in stage 'Build' is reserved"}},
		{name: "OKVariablesNamespaceWithoutPipelineVariables", mutate: func(d *sluice.PipelineDeclaration) { action(d, 1, 0).Namespace = "variables" }},
		{name: "ErrVariablesNamespaceWithPipelineVariables", base: v2Pipeline, mutate: func(d *sluice.PipelineDeclaration) { action(d, 1, 0).Namespace = "variables" },
			code: sluice.EActionDecl, texts: []string{"Namespace 'variables' of action 'Compile' in stage 'Build' is reserved"}},
		{name: "ErrNamespaceEqualsArtifact", mutate: func(d *sluice.PipelineDeclaration) { action(d, 1, 0).Namespace = "Bin" },
			code: sluice.EActionDecl, texts: []string{"Namespace 'Bin' of action 'Compile' in stage 'Build' is also the name of an artifact"}},
	})
}

func TestReferences(t *testing.T) {
	t.Parallel()

	ref := func(value string) func(d *sluice.PipelineDeclaration) {
		return func(d *sluice.PipelineDeclaration) { action(d, 1, 1).Configuration["ApplicationName"] = value }
	}
	runCases(t, []ruleCase{
		{name: "OKCodePipelineNamespace", mutate: ref("app-#{codepipeline.PipelineExecutionId}")},
		{name: "OKEarlierRunOrder", mutate: func(d *sluice.PipelineDeclaration) {
			action(d, 1, 0).Namespace = "BuildVars"
			ref("#{BuildVars.Tag}")(d)
		}},
		{name: "OKNotAReference", mutate: ref("#{not a reference}")},
		{name: "ErrUnknownNamespace", mutate: ref("#{Nope.Key}"),
			code: sluice.EActionDecl, texts: []string{"Action 'Ship' in stage 'Build' references '#{Nope.Key}', but no action declares namespace 'Nope'"}},
		{name: "ErrSameRunOrder", mutate: func(d *sluice.PipelineDeclaration) {
			action(d, 1, 0).Namespace = "BuildVars"
			action(d, 1, 1).RunOrder = 1
			action(d, 1, 1).InputArtifacts[0].Name = "Src"
			ref("#{BuildVars.Tag}")(d)
		}, code: sluice.EActionDecl, texts: []string{"action 'Compile' in stage 'Build', which declares namespace 'BuildVars', does not run before it"}},
		{name: "ErrUndeclaredPipelineVariable", base: v2Pipeline, mutate: ref("#{variables.missing}"),
			code: sluice.EActionDecl, texts: []string{"references '#{variables.missing}', but the pipeline declares no variable 'missing'"}},
		{name: "ErrPipelineVariableInSource", base: v2Pipeline, mutate: func(d *sluice.PipelineDeclaration) {
			action(d, 0, 0).Configuration["BranchName"] = "#{variables.env}"
		}, code: sluice.EActionDecl, texts: []string{"Action 'Fetch' in stage 'Source' references '#{variables.env}', but pipeline variables cannot be used in Source actions"}},
		{name: "ErrReferenceInCommands", base: v2Pipeline, mutate: func(d *sluice.PipelineDeclaration) {
			action(d, 1, 2).Commands = []string{"echo #{Later.X}"}
		}, code: sluice.EActionDecl, texts: []string{"Action 'Script' in stage 'Build' references '#{Later.X}'"}},
	})
}
