package validate_test

import (
	"fmt"
	"testing"

	"sluice"
	"sluice/validate"
)

func stores(regions ...string) map[string]sluice.ArtifactStoreDecl {
	m := map[string]sluice.ArtifactStoreDecl{}
	for _, r := range regions {
		m[r] = sluice.ArtifactStoreDecl{Type: "S3", Location: "bucket-" + r}
	}
	return m
}

func TestStructure(t *testing.T) {
	t.Parallel()

	runCases(t, []ruleCase{
		{name: "ErrOneStage", mutate: func(d *sluice.PipelineDeclaration) { d.Stages = d.Stages[:1] },
			code: sluice.EStructure, texts: []string{"Pipeline has only 1 stage(s). There should be a minimum of 2 stages in a pipeline"}},
		{name: "ErrTooManyStages", mutate: func(d *sluice.PipelineDeclaration) {
			for i := 0; i < 49; i++ {
				s := d.Stages[1]
				s.Name = fmt.Sprintf("Extra%d", i)
				s.Actions = []sluice.ActionDeclaration{{Name: "Approve", ActionTypeID: id("Approval", "AWS", "Manual")}}
				d.Stages = append(d.Stages, s)
			}
		}, code: sluice.ELimit, texts: []string{"has 51 stages, more than the maximum of 50"}},
		{name: "ErrBothArtifactStores", mutate: func(d *sluice.PipelineDeclaration) { d.ArtifactStores = stores("us-east-1") },
			code: sluice.EStructure, texts: []string{"Pipeline 'demo' declares both artifactStore and artifactStores"}},
		{name: "ErrNoArtifactStore", mutate: func(d *sluice.PipelineDeclaration) { d.ArtifactStore = nil },
			code: sluice.EStructure, texts: []string{"declares neither artifactStore nor artifactStores"}},
		{name: "ErrNoStoreForPipelineRegion", mutate: func(d *sluice.PipelineDeclaration) {
			d.ArtifactStore, d.ArtifactStores = nil, stores("us-west-2")
		}, code: sluice.EStructure, texts: []string{"artifactStores has no artifact store for the pipeline's region 'us-east-1'"}},
		{name: "OKStoreForConfiguredRegion", opts: validate.Options{Region: "us-west-2"}, mutate: func(d *sluice.PipelineDeclaration) {
			d.ArtifactStore, d.ArtifactStores = nil, stores("us-west-2")
		}},
		{name: "OKCrossRegionAction", mutate: func(d *sluice.PipelineDeclaration) {
			d.ArtifactStore, d.ArtifactStores = nil, stores("us-east-1", "eu-west-1")
			action(d, 1, 1).Region = "eu-west-1"
		}},
		{name: "OKActionInPipelineRegion", mutate: func(d *sluice.PipelineDeclaration) { action(d, 0, 0).Region = "us-east-1" }},
		{name: "ErrNoStoreForActionRegion", mutate: func(d *sluice.PipelineDeclaration) { action(d, 1, 1).Region = "eu-west-1" },
			code: sluice.EStructure, texts: []string{"Action 'Ship' in stage 'Build' runs in region 'eu-west-1'"}},
		{name: "ErrCrossRegionSource", mutate: func(d *sluice.PipelineDeclaration) {
			d.ArtifactStore, d.ArtifactStores = nil, stores("us-east-1", "eu-west-1")
			action(d, 0, 0).Region = "eu-west-1"
		}, code: sluice.EActionDecl, texts: []string{"Action 'Fetch' in stage 'Source' declares region 'eu-west-1'"}},
		{name: "ErrCrossRegionCustom", mutate: func(d *sluice.PipelineDeclaration) {
			d.ArtifactStore, d.ArtifactStores = nil, stores("us-east-1", "eu-west-1")
			a := action(d, 1, 0)
			a.ActionTypeID, a.Configuration, a.Region = customType.ID, map[string]string{"Project": "p"}, "eu-west-1"
		}, code: sluice.EActionDecl, texts: []string{"Action 'Compile' in stage 'Build' declares region 'eu-west-1'", "owner Custom"}},
	})
}

func TestStages(t *testing.T) {
	t.Parallel()

	runCases(t, []ruleCase{
		{name: "ErrBlocker", mutate: func(d *sluice.PipelineDeclaration) {
			d.Stages[1].Blockers = []sluice.BlockerDeclaration{{Name: "Hold", Type: "Schedule"}}
		}, code: sluice.EBlockerDecl, texts: []string{"Stage 'Build' declares blocker 'Hold'"}},
		{name: "ErrDuplicateStageName", mutate: func(d *sluice.PipelineDeclaration) {
			s := d.Stages[1]
			s.Actions = []sluice.ActionDeclaration{{Name: "Approve", ActionTypeID: id("Approval", "AWS", "Manual")}}
			d.Stages = append(d.Stages, s)
		}, code: sluice.EStageDecl, texts: []string{"Stage name 'Build' is used more than once"}},
		{name: "ErrEmptyStage", mutate: func(d *sluice.PipelineDeclaration) {
			d.Stages = append(d.Stages, sluice.StageDeclaration{Name: "Empty", Actions: []sluice.ActionDeclaration{}})
		}, code: sluice.EStageDecl, texts: []string{"Stage 'Empty' has no actions"}},
		{name: "ErrTooManyActionsInStage", opts: validate.Options{MaxActionsPerStage: 2}, mutate: func(d *sluice.PipelineDeclaration) {
			d.Stages[1].Actions = append(d.Stages[1].Actions, sluice.ActionDeclaration{Name: "Approve", ActionTypeID: id("Approval", "AWS", "Manual")})
		}, code: sluice.ELimit, texts: []string{"Stage 'Build' has 3 actions, more than the maximum of 2"}},
		{name: "ErrNonSourceInFirstStage", mutate: func(d *sluice.PipelineDeclaration) {
			d.Stages[0].Actions = append(d.Stages[0].Actions, sluice.ActionDeclaration{Name: "Approve", ActionTypeID: id("Approval", "AWS", "Manual")})
		}, code: sluice.EStageDecl, texts: []string{"Stage 'Source' is the first stage", "action 'Approve' has category 'Approval'"}},
		{name: "ErrSourceOutsideFirstStage", mutate: func(d *sluice.PipelineDeclaration) {
			src := *action(d, 0, 0)
			src.Name, src.OutputArtifacts, src.Namespace = "Late", []sluice.OutputArtifact{{Name: "Late"}}, ""
			d.Stages[1].Actions = append(d.Stages[1].Actions, src)
		}, code: sluice.EStageDecl, texts: []string{"Action 'Late' in stage 'Build' is a Source action"}},
	})
}

func TestV2Only(t *testing.T) {
	t.Parallel()

	v1 := func() *sluice.PipelineDeclaration {
		d := v2Pipeline()
		d.PipelineType = ""
		d.Variables, d.Triggers, d.Stages[1].BeforeEntry = nil, nil, nil
		d.Stages[1].Actions = d.Stages[1].Actions[:2]
		return d
	}
	runCases(t, []ruleCase{
		{name: "OKV1WithoutV2Features", base: v1},
		{name: "ErrVariables", base: v1, mutate: func(d *sluice.PipelineDeclaration) { d.Variables = v2Pipeline().Variables },
			code: sluice.EInvalid, texts: []string{"Field 'pipeline.variables' is only supported by V2 pipelines, but pipeline 'demo' has pipelineType V1"}},
		{name: "ErrTriggers", base: v1, mutate: func(d *sluice.PipelineDeclaration) { d.Triggers = v2Pipeline().Triggers },
			code: sluice.EInvalid, texts: []string{"Field 'pipeline.triggers'"}},
		{name: "ErrQueuedMode", base: v1, mutate: func(d *sluice.PipelineDeclaration) { d.ExecutionMode = sluice.ModeQueued },
			code: sluice.EInvalid, texts: []string{"Field 'pipeline.executionMode' value QUEUED"}},
		{name: "OKSupersededMode", base: v1, mutate: func(d *sluice.PipelineDeclaration) { d.ExecutionMode = sluice.ModeSuperseded }},
		{name: "ErrStageCondition", base: v1, mutate: func(d *sluice.PipelineDeclaration) { d.Stages[1].BeforeEntry = v2Pipeline().Stages[1].BeforeEntry },
			code: sluice.EInvalid, texts: []string{"Field 'pipeline.stages.2.member.beforeEntry' (stage 'Build')"}},
		{name: "ErrOnFailure", base: v1, mutate: func(d *sluice.PipelineDeclaration) {
			d.Stages[1].OnFailure = &sluice.FailureConditions{Result: "ROLLBACK"}
		}, code: sluice.EInvalid, texts: []string{"Field 'pipeline.stages.2.member.onFailure'"}},
		{name: "ErrCommandsAction", base: v1, mutate: func(d *sluice.PipelineDeclaration) {
			d.Stages[1].Actions = append(d.Stages[1].Actions, v2Pipeline().Stages[1].Actions[2])
		}, code: sluice.EInvalid, texts: []string{"Field 'pipeline.stages.2.member.actions.3.member.actionTypeId' (action 'Script' in stage 'Build', type Compute/AWS/Commands/1)"}},
		{name: "ErrPipelineInvokeAction", base: v1, mutate: func(d *sluice.PipelineDeclaration) {
			d.Stages[1].Actions = append(d.Stages[1].Actions, sluice.ActionDeclaration{
				Name: "Next", ActionTypeID: id("Invoke", "AWS", "CodePipeline"), Configuration: map[string]string{"PipelineName": "other"},
			})
		}, code: sluice.EInvalid, texts: []string{"type Invoke/AWS/CodePipeline/1"}},
		{name: "ErrEC2DeployAction", base: v1, mutate: func(d *sluice.PipelineDeclaration) {
			a := action(d, 1, 1)
			a.ActionTypeID, a.Configuration = id("Deploy", "AWS", "EC2"), map[string]string{"InstanceTagKey": "Name", "InstanceType": "EC2"}
		}, code: sluice.EInvalid, texts: []string{"type Deploy/AWS/EC2/1"}},
		{name: "ErrEKSDeployAction", base: v1, mutate: func(d *sluice.PipelineDeclaration) {
			a := action(d, 1, 1)
			a.ActionTypeID, a.Configuration = id("Deploy", "AWS", "EKS"), map[string]string{"ClusterName": "c"}
		}, code: sluice.EInvalid, texts: []string{"type Deploy/AWS/EKS/1"}},
		{name: "ErrLambdaDeployAction", base: v1, mutate: func(d *sluice.PipelineDeclaration) {
			a := action(d, 1, 1)
			a.ActionTypeID, a.Configuration = id("Deploy", "AWS", "Lambda"), map[string]string{"FunctionName": "f"}
		}, code: sluice.EInvalid, texts: []string{"type Deploy/AWS/Lambda/1"}},
		{name: "OKEC2DeployActionInV2", base: v2Pipeline, mutate: func(d *sluice.PipelineDeclaration) {
			a := action(d, 1, 1)
			a.ActionTypeID, a.Configuration = id("Deploy", "AWS", "EC2"), map[string]string{"InstanceTagKey": "Name", "InstanceType": "EC2"}
		}},
		{name: "ErrEC2DeployWithoutInstanceType", base: v2Pipeline, mutate: func(d *sluice.PipelineDeclaration) {
			a := action(d, 1, 1)
			a.ActionTypeID, a.Configuration = id("Deploy", "AWS", "EC2"), map[string]string{"InstanceTagKey": "Name"}
		}, code: sluice.EActionDecl, texts: []string{"is missing required configuration key 'InstanceType'"}},
		{name: "OKInspectorScanInV1", base: v1, mutate: func(d *sluice.PipelineDeclaration) {
			a := action(d, 1, 1)
			a.ActionTypeID, a.Configuration = id("Invoke", "AWS", "InspectorScan"), map[string]string{"InspectorRunMode": "SourceCodeScan"}
		}},
	})
}
