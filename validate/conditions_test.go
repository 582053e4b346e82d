package validate_test

import (
	"strings"
	"testing"

	"sluice"
)

func condition(result string, rules ...sluice.RuleDeclaration) []sluice.Condition {
	if len(rules) == 0 {
		rules = []sluice.RuleDeclaration{rule("Check", "LambdaInvoke")}
	}
	return []sluice.Condition{{Result: result, Rules: rules}}
}

func TestConditions(t *testing.T) {
	t.Parallel()

	v2 := v2Pipeline
	runCases(t, []ruleCase{
		{name: "OKBeforeEntrySkipWithLambda", base: v2, mutate: func(d *sluice.PipelineDeclaration) {
			d.Stages[1].BeforeEntry.Conditions = condition("SKIP", rule("Check", "LambdaInvoke"), rule("Var", "VariableCheck"))
		}},
		{name: "OKBeforeEntrySkipOutsideAWindow", base: v2, mutate: func(d *sluice.PipelineDeclaration) {
			d.Stages[1].BeforeEntry.Conditions[0].Result = "SKIP"
		}},
		{name: "ErrBeforeEntrySkipWithOtherRule", base: v2, mutate: func(d *sluice.PipelineDeclaration) {
			d.Stages[1].BeforeEntry.Conditions = condition("SKIP", rule("Smoke", "Commands"))
		}, code: sluice.EStageDecl, texts: []string{"Stage 'Build' has a beforeEntry SKIP condition with rule 'Smoke' of provider 'Commands'"}},
		{name: "ErrBeforeEntryRollback", base: v2, mutate: func(d *sluice.PipelineDeclaration) { d.Stages[1].BeforeEntry.Conditions[0].Result = "ROLLBACK" },
			code: sluice.EStageDecl, texts: []string{"Stage 'Build' has beforeEntry condition result 'ROLLBACK'"}},
		{name: "OKOnSuccessRollback", base: v2, mutate: func(d *sluice.PipelineDeclaration) {
			d.Stages[1].OnSuccess = &sluice.SuccessConditions{Conditions: condition("ROLLBACK")}
		}},
		{name: "ErrOnSuccessSkip", base: v2, mutate: func(d *sluice.PipelineDeclaration) {
			d.Stages[1].OnSuccess = &sluice.SuccessConditions{Conditions: condition("SKIP")}
		}, code: sluice.EStageDecl, texts: []string{"Stage 'Build' has onSuccess condition result 'SKIP'"}},
		{name: "OKOnFailureRetry", base: v2, mutate: func(d *sluice.PipelineDeclaration) {
			d.Stages[1].OnFailure = &sluice.FailureConditions{Result: "RETRY", RetryConfiguration: &sluice.RetryConfiguration{RetryMode: sluice.RetryFailedActions}}
		}},
		{name: "OKOnFailureRollbackWithConditions", base: v2, mutate: func(d *sluice.PipelineDeclaration) {
			d.Stages[1].OnFailure = &sluice.FailureConditions{Result: "ROLLBACK", Conditions: condition("ROLLBACK")}
		}},
		{name: "ErrOnFailureSkip", base: v2, mutate: func(d *sluice.PipelineDeclaration) {
			d.Stages[1].OnFailure = &sluice.FailureConditions{Result: "SKIP"}
		}, code: sluice.EStageDecl, texts: []string{"Stage 'Build' has onFailure result 'SKIP'"}},
		{name: "ErrOnFailureConditionFail", base: v2, mutate: func(d *sluice.PipelineDeclaration) {
			d.Stages[1].OnFailure = &sluice.FailureConditions{Conditions: condition("FAIL")}
		}, code: sluice.EStageDecl, texts: []string{"Stage 'Build' has onFailure condition result 'FAIL'"}},
		{name: "ErrRetryWithConditions", base: v2, mutate: func(d *sluice.PipelineDeclaration) {
			d.Stages[1].OnFailure = &sluice.FailureConditions{Result: "RETRY", Conditions: condition("ROLLBACK")}
		}, code: sluice.EStageDecl, texts: []string{"Stage 'Build' combines onFailure result RETRY with onFailure conditions"}},
		{name: "ErrParallelRollback", base: v2, mutate: func(d *sluice.PipelineDeclaration) {
			d.ExecutionMode = sluice.ModeParallel
			d.Stages[1].OnFailure = &sluice.FailureConditions{Result: "ROLLBACK"}
		}, code: sluice.EStageDecl, texts: []string{"Stage 'Build' declares a ROLLBACK result, but pipelines in PARALLEL execution mode cannot roll back"}},
		{name: "ErrParallelRollbackCondition", base: v2, mutate: func(d *sluice.PipelineDeclaration) {
			d.ExecutionMode = sluice.ModeParallel
			d.Stages[1].OnSuccess = &sluice.SuccessConditions{Conditions: condition("ROLLBACK")}
		}, code: sluice.EStageDecl, texts: []string{"PARALLEL execution mode cannot roll back"}},
		{name: "OKQueuedRollback", base: v2, mutate: func(d *sluice.PipelineDeclaration) {
			d.ExecutionMode = sluice.ModeQueued
			d.Stages[1].OnFailure = &sluice.FailureConditions{Result: "ROLLBACK"}
		}},
	})
}

func TestTriggers(t *testing.T) {
	t.Parallel()

	v2 := v2Pipeline
	git := func(d *sluice.PipelineDeclaration) *sluice.GitConfiguration { return &d.Triggers[0].GitConfiguration }
	criteria := &sluice.GitFilterCriteria{Includes: []string{"x"}}
	runCases(t, []ruleCase{
		{name: "ErrSourceActionUnknown", base: v2, mutate: func(d *sluice.PipelineDeclaration) { git(d).SourceActionName = "Nope" },
			code: sluice.EInvalid, texts: []string{"Trigger 1 names source action 'Nope', which is not a CodeStarSourceConnection source action"}},
		{name: "ErrSourceActionNotConnection", base: v2, mutate: func(d *sluice.PipelineDeclaration) { git(d).SourceActionName = "Compile" },
			code: sluice.EInvalid, texts: []string{"names source action 'Compile', which is not a CodeStarSourceConnection"}},
		{name: "ErrTwoTriggersForOneSource", base: v2, mutate: func(d *sluice.PipelineDeclaration) { d.Triggers = append(d.Triggers, d.Triggers[0]) },
			code: sluice.EInvalid, texts: []string{"Trigger 2 names source action 'Fetch', which already has a trigger"}},
		{name: "OKTagsAlone", base: v2, mutate: func(d *sluice.PipelineDeclaration) { git(d).Push = []sluice.GitPushFilter{{Tags: criteria}} }},
		{name: "OKBranchesAndFilePaths", base: v2, mutate: func(d *sluice.PipelineDeclaration) {
			git(d).Push = []sluice.GitPushFilter{{Branches: criteria, FilePaths: criteria}}
		}},
		{name: "ErrTagsWithBranches", base: v2, mutate: func(d *sluice.PipelineDeclaration) {
			git(d).Push = []sluice.GitPushFilter{{Tags: criteria, Branches: criteria}}
		}, code: sluice.EInvalid, texts: []string{"Push filter 1 of trigger 1 combines tags, branches and filePaths wrongly"}},
		{name: "ErrFilePathsAlone", base: v2, mutate: func(d *sluice.PipelineDeclaration) {
			git(d).Push = []sluice.GitPushFilter{{FilePaths: criteria}}
		}, code: sluice.EInvalid, texts: []string{"Push filter 1 of trigger 1"}},
		{name: "ErrDuplicatePushFilter", base: v2, mutate: func(d *sluice.PipelineDeclaration) { git(d).Push = append(git(d).Push, git(d).Push[0]) },
			code: sluice.EInvalid, texts: []string{"Push filter 2 of trigger 1 repeats an earlier push filter"}},
		{name: "ErrDuplicatePullRequestFilter", base: v2, mutate: func(d *sluice.PipelineDeclaration) {
			f := sluice.GitPullRequestFilter{Events: []string{"OPEN"}, Branches: criteria}
			git(d).PullRequest = []sluice.GitPullRequestFilter{f, f}
		}, code: sluice.EInvalid, texts: []string{"Pull request filter 2 of trigger 1 repeats an earlier pull request filter"}},
		{name: "ErrTriggersTooLarge", base: v2, mutate: func(d *sluice.PipelineDeclaration) {
			big := strings.Repeat("p", 255)
			patterns := []string{big, big, big, big, big, big, big, big}
			for i := 0; i < 49; i++ {
				d.Triggers = append(d.Triggers, sluice.PipelineTriggerDeclaration{
					ProviderType: "CodeStarSourceConnection",
					GitConfiguration: sluice.GitConfiguration{SourceActionName: "Fetch", Push: []sluice.GitPushFilter{
						{Branches: &sluice.GitFilterCriteria{Includes: patterns, Excludes: patterns}, FilePaths: &sluice.GitFilterCriteria{Includes: patterns}},
					}},
				})
			}
		}, code: sluice.EInvalid, texts: []string{"Field 'pipeline.triggers' encodes to", "more than the maximum of 204800"}},
	})
}
