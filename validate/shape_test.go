package validate_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/validate"
)

func TestShape(t *testing.T) {
	t.Parallel()

	runCases(t, []ruleCase{
		{name: "ErrNameMissing", mutate: func(d *sluice.PipelineDeclaration) { d.Name = "" },
			code: sluice.EInvalid, texts: []string{"1 validation error detected: Value null at 'pipeline.name' failed to satisfy constraint: Member must not be null"}},
		{name: "ErrNameTooLong", mutate: func(d *sluice.PipelineDeclaration) { d.Name = strings.Repeat("a", 101) },
			code: sluice.EInvalid, texts: []string{"at 'pipeline.name' failed to satisfy constraint: Member must have length less than or equal to 100"}},
		{name: "ErrRoleArnMissing", mutate: func(d *sluice.PipelineDeclaration) { d.RoleArn = "" },
			code: sluice.EInvalid, texts: []string{"Value null at 'pipeline.roleArn'"}},
		{name: "OKRoleArnPlaceholder", mutate: func(d *sluice.PipelineDeclaration) { d.RoleArn = "ARN" }},
		{name: "ErrStagesNull", mutate: func(d *sluice.PipelineDeclaration) { d.Stages = nil },
			code: sluice.EInvalid, texts: []string{"Value null at 'pipeline.stages' failed to satisfy constraint: Member must not be null"}},
		{name: "ErrArtifactStoreType", mutate: func(d *sluice.PipelineDeclaration) { d.ArtifactStore.Type = "GCS" },
			code: sluice.EInvalid, texts: []string{"Value 'GCS' at 'pipeline.artifactStore.type' failed to satisfy constraint: Member must satisfy enum value set: [S3]"}},
		{name: "ErrArtifactStoreLocationPattern", mutate: func(d *sluice.PipelineDeclaration) { d.ArtifactStore.Location = "my_bucket" },
			code: sluice.EInvalid, texts: []string{`Value 'my_bucket' at 'pipeline.artifactStore.location' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9\-\.]+`}},
		{name: "ErrEncryptionKeyType", mutate: func(d *sluice.PipelineDeclaration) {
			d.ArtifactStore.EncryptionKey = &sluice.EncryptionKey{ID: "k", Type: "AES"}
		}, code: sluice.EInvalid, texts: []string{"at 'pipeline.artifactStore.encryptionKey.type' failed to satisfy constraint: Member must satisfy enum value set: [KMS]"}},
		{name: "ErrArtifactStoresRegionKey", mutate: func(d *sluice.PipelineDeclaration) {
			d.ArtifactStore = nil
			d.ArtifactStores = map[string]sluice.ArtifactStoreDecl{"us": {Type: "S3", Location: "abc"}}
		}, code: sluice.EInvalid, texts: []string{"Value at 'pipeline.artifactStores' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 30, Member must have length greater than or equal to 4]"}},
		{name: "ErrStageNamePattern", mutate: func(d *sluice.PipelineDeclaration) { d.Stages[1].Name = "Build It" },
			code: sluice.EInvalid, texts: []string{`Value 'Build It' at 'pipeline.stages.2.member.name' failed to satisfy constraint: Member must satisfy regular expression pattern: [A-Za-z0-9.@\-_]+`}},
		{name: "ErrActionsNull", mutate: func(d *sluice.PipelineDeclaration) { d.Stages[1].Actions = nil },
			code: sluice.EInvalid, texts: []string{"Value null at 'pipeline.stages.2.member.actions'"}},
		{name: "ErrActionNamePattern", mutate: func(d *sluice.PipelineDeclaration) { action(d, 1, 1).Name = "x y" },
			code: sluice.EInvalid, texts: []string{`1 validation error detected: Value 'x y' at 'pipeline.stages.2.member.actions.2.member.name' failed to satisfy constraint: Member must satisfy regular expression pattern: [A-Za-z0-9.@\-_]+`}},
		{name: "ErrCategoryEnum", mutate: func(d *sluice.PipelineDeclaration) { action(d, 1, 0).ActionTypeID.Category = "Compile" },
			code: sluice.EInvalid, texts: []string{"at 'pipeline.stages.2.member.actions.1.member.actionTypeId.category' failed to satisfy constraint: Member must satisfy enum value set: [Source, Build, Deploy, Test, Invoke, Approval, Compute]"}},
		{name: "ErrOwnerMissing", mutate: func(d *sluice.PipelineDeclaration) { action(d, 1, 0).ActionTypeID.Owner = "" },
			code: sluice.EInvalid, texts: []string{"Value null at 'pipeline.stages.2.member.actions.1.member.actionTypeId.owner'"}},
		{name: "ErrProviderTooLong", mutate: func(d *sluice.PipelineDeclaration) { action(d, 1, 0).ActionTypeID.Provider = strings.Repeat("p", 36) },
			code: sluice.EInvalid, texts: []string{"actionTypeId.provider' failed to satisfy constraint: Member must have length less than or equal to 35"}},
		{name: "ErrVersionPattern", mutate: func(d *sluice.PipelineDeclaration) { action(d, 1, 0).ActionTypeID.Version = "1.0" },
			code: sluice.EInvalid, texts: []string{"Value '1.0' at 'pipeline.stages.2.member.actions.1.member.actionTypeId.version' failed to satisfy constraint: Member must satisfy regular expression pattern: [0-9A-Za-z_-]+"}},
		{name: "ErrRunOrderTooHigh", mutate: func(d *sluice.PipelineDeclaration) { action(d, 1, 1).RunOrder = 1000 },
			code: sluice.EInvalid, texts: []string{"Value '1000' at 'pipeline.stages.2.member.actions.2.member.runOrder' failed to satisfy constraint: Member must have value less than or equal to 999"}},
		{name: "ErrRunOrderNegative", mutate: func(d *sluice.PipelineDeclaration) { action(d, 1, 1).RunOrder = -1 },
			code: sluice.EInvalid, texts: []string{"Member must have value greater than or equal to 1"}},
		{name: "ErrTimeoutTooShort", mutate: func(d *sluice.PipelineDeclaration) { action(d, 1, 1).TimeoutInMinutes = 4 },
			code: sluice.EInvalid, texts: []string{"Value '4' at 'pipeline.stages.2.member.actions.2.member.timeoutInMinutes' failed to satisfy constraint: Member must have value greater than or equal to 5"}},
		{name: "ErrConfigurationValueEmpty", mutate: func(d *sluice.PipelineDeclaration) { action(d, 0, 0).Configuration["S3ObjectKey"] = "" },
			code: sluice.EInvalid, texts: []string{"1 validation error detected: Value at 'pipeline.stages.1.member.actions.1.member.configuration' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 50000, Member must have length greater than or equal to 1]"}},
		{name: "OKConfigurationValueBeyondModelLimit", mutate: func(d *sluice.PipelineDeclaration) {
			action(d, 1, 0).Configuration["EnvironmentVariables"] = strings.Repeat("x", 50000)
		}},
		{name: "ErrConfigurationValueTooLong", mutate: func(d *sluice.PipelineDeclaration) {
			action(d, 1, 0).Configuration["EnvironmentVariables"] = strings.Repeat("x", 50001)
		}, code: sluice.EInvalid, texts: []string{"Map value must satisfy constraint: [Member must have length less than or equal to 50000"}},
		{name: "ErrConfigurationKeyTooLong", mutate: func(d *sluice.PipelineDeclaration) {
			action(d, 1, 0).Configuration[strings.Repeat("k", 51)] = "v"
		}, code: sluice.EInvalid, texts: []string{"Map keys must satisfy constraint: [Member must have length less than or equal to 50, Member must have length greater than or equal to 1]"}},
		{name: "ErrArtifactNamePattern", mutate: func(d *sluice.PipelineDeclaration) { action(d, 0, 0).OutputArtifacts[0].Name = "My App" },
			code: sluice.EInvalid, texts: []string{`Value 'My App' at 'pipeline.stages.1.member.actions.1.member.outputArtifacts.1.member.name' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_\-]+`}},
		{name: "ErrInputArtifactNameMissing", mutate: func(d *sluice.PipelineDeclaration) { action(d, 1, 0).InputArtifacts[0].Name = "" },
			code: sluice.EInvalid, texts: []string{"Value null at 'pipeline.stages.2.member.actions.1.member.inputArtifacts.1.member.name'"}},
		{name: "ErrNamespacePattern", mutate: func(d *sluice.PipelineDeclaration) { action(d, 0, 0).Namespace = "Source.Vars" },
			code: sluice.EInvalid, texts: []string{`Value 'Source.Vars' at 'pipeline.stages.1.member.actions.1.member.namespace' failed to satisfy constraint: Member must satisfy regular expression pattern: [A-Za-z0-9@\-_]+`}},
		{name: "ErrRegionTooShort", mutate: func(d *sluice.PipelineDeclaration) { action(d, 1, 0).Region = "us" },
			code: sluice.EInvalid, texts: []string{"at 'pipeline.stages.2.member.actions.1.member.region' failed to satisfy constraint: Member must have length greater than or equal to 4"}},
		{name: "ErrExecutionModeEnum", mutate: func(d *sluice.PipelineDeclaration) { d.ExecutionMode = "SERIAL" },
			code: sluice.EInvalid, texts: []string{"Value 'SERIAL' at 'pipeline.executionMode' failed to satisfy constraint: Member must satisfy enum value set: [QUEUED, SUPERSEDED, PARALLEL]"}},
		{name: "ErrPipelineTypeEnum", mutate: func(d *sluice.PipelineDeclaration) { d.PipelineType = "V3" },
			code: sluice.EInvalid, texts: []string{"at 'pipeline.pipelineType' failed to satisfy constraint: Member must satisfy enum value set: [V1, V2]"}},
		{name: "ErrVersionNegative", mutate: func(d *sluice.PipelineDeclaration) { d.Version = -2 },
			code: sluice.EInvalid, texts: []string{"at 'pipeline.version' failed to satisfy constraint: Member must have value greater than or equal to 1"}},
		{name: "ErrBlockerTypeEnum", mutate: func(d *sluice.PipelineDeclaration) {
			d.Stages[1].Blockers = []sluice.BlockerDeclaration{{Name: "b", Type: "Manual"}}
		}, code: sluice.EInvalid, texts: []string{"at 'pipeline.stages.2.member.blockers.1.member.type' failed to satisfy constraint: Member must satisfy enum value set: [Schedule]"}},
	})
}

func TestShapeV2Members(t *testing.T) {
	t.Parallel()

	v2 := v2Pipeline
	runCases(t, []ruleCase{
		{name: "ErrTooManyCommands", base: v2, mutate: func(d *sluice.PipelineDeclaration) { action(d, 1, 2).Commands = make([]string, 51) },
			code: sluice.EInvalid, texts: []string{"Value at 'pipeline.stages.2.member.actions.3.member.commands' failed to satisfy constraint: Member must have length less than or equal to 50"}},
		{name: "ErrCommandEmpty", base: v2, mutate: func(d *sluice.PipelineDeclaration) { action(d, 1, 2).Commands = []string{"ls", ""} },
			code: sluice.EInvalid, texts: []string{"Value '' at 'pipeline.stages.2.member.actions.3.member.commands.2.member' failed to satisfy constraint: Member must have length greater than or equal to 1"}},
		{name: "ErrTooManyFiles", base: v2, mutate: func(d *sluice.PipelineDeclaration) { action(d, 1, 2).OutputArtifacts[0].Files = make([]string, 11) },
			code: sluice.EInvalid, texts: []string{"at 'pipeline.stages.2.member.actions.3.member.outputArtifacts.1.member.files' failed to satisfy constraint: Member must have length less than or equal to 10"}},
		{name: "ErrTooManyOutputVariables", base: v2, mutate: func(d *sluice.PipelineDeclaration) {
			action(d, 1, 2).OutputVariables = strings.Split("a b c d e f g h i j k l m n o p", " ")
		}, code: sluice.EInvalid, texts: []string{"member.outputVariables' failed to satisfy constraint: Member must have length less than or equal to 15"}},
		{name: "ErrEnvironmentVariableName", base: v2, mutate: func(d *sluice.PipelineDeclaration) {
			action(d, 1, 2).EnvironmentVariables = []sluice.EnvironmentVariable{{Name: "MY-VAR", Value: "x", Type: "PLAINTEXT"}}
		}, code: sluice.EInvalid, texts: []string{"Value 'MY-VAR' at 'pipeline.stages.2.member.actions.3.member.environmentVariables.1.member.name' failed to satisfy constraint: Member must satisfy regular expression pattern: [A-Za-z0-9_]+"}},
		{name: "ErrEnvironmentVariableType", base: v2, mutate: func(d *sluice.PipelineDeclaration) {
			action(d, 1, 2).EnvironmentVariables = []sluice.EnvironmentVariable{{Name: "V", Value: "x", Type: "PARAMETER_STORE"}}
		}, code: sluice.EInvalid, texts: []string{"environmentVariables.1.member.type' failed to satisfy constraint: Member must satisfy enum value set: [PLAINTEXT, SECRETS_MANAGER]"}},
		{name: "ErrVariableNamePattern", base: v2, mutate: func(d *sluice.PipelineDeclaration) { d.Variables[0].Name = "my.var" },
			code: sluice.EInvalid, texts: []string{`Value 'my.var' at 'pipeline.variables.1.member.name' failed to satisfy constraint: Member must satisfy regular expression pattern: [A-Za-z0-9@\-_]+`}},
		{name: "ErrVariableDefaultEmpty", base: v2, mutate: func(d *sluice.PipelineDeclaration) {
			empty := ""
			d.Variables[0].DefaultValue = &empty
		}, code: sluice.EInvalid, texts: []string{"Value '' at 'pipeline.variables.1.member.defaultValue' failed to satisfy constraint: Member must have length greater than or equal to 1"}},
		{name: "ErrTooManyVariables", base: v2, mutate: func(d *sluice.PipelineDeclaration) {
			d.Variables = make([]sluice.PipelineVariableDeclaration, 51)
			for i := range d.Variables {
				d.Variables[i].Name = "v" + strings.Repeat("x", i)
			}
		}, code: sluice.EInvalid, texts: []string{"Value at 'pipeline.variables' failed to satisfy constraint: Member must have length less than or equal to 50"}},
		{name: "ErrTriggerProviderType", base: v2, mutate: func(d *sluice.PipelineDeclaration) { d.Triggers[0].ProviderType = "GitHub" },
			code: sluice.EInvalid, texts: []string{"at 'pipeline.triggers.1.member.providerType' failed to satisfy constraint: Member must satisfy enum value set: [CodeStarSourceConnection]"}},
		{name: "ErrTriggerSourceActionMissing", base: v2, mutate: func(d *sluice.PipelineDeclaration) { d.Triggers[0].GitConfiguration.SourceActionName = "" },
			code: sluice.EInvalid, texts: []string{"Value null at 'pipeline.triggers.1.member.gitConfiguration.sourceActionName'"}},
		{name: "ErrTooManyPushFilters", base: v2, mutate: func(d *sluice.PipelineDeclaration) {
			g := &d.Triggers[0].GitConfiguration
			g.Push = append(g.Push, g.Push[0], g.Push[0], g.Push[0])
		}, code: sluice.EInvalid, texts: []string{"at 'pipeline.triggers.1.member.gitConfiguration.push' failed to satisfy constraint: Member must have length less than or equal to 3"}},
		{name: "ErrTooManyIncludes", base: v2, mutate: func(d *sluice.PipelineDeclaration) {
			d.Triggers[0].GitConfiguration.Push[0].Branches.Includes = strings.Split("a b c d e f g h i", " ")
		}, code: sluice.EInvalid, texts: []string{"at 'pipeline.triggers.1.member.gitConfiguration.push.1.member.branches.includes' failed to satisfy constraint: Member must have length less than or equal to 8"}},
		{name: "ErrPatternTooLong", base: v2, mutate: func(d *sluice.PipelineDeclaration) {
			d.Triggers[0].GitConfiguration.Push[0].Branches.Includes = []string{strings.Repeat("b", 256)}
		}, code: sluice.EInvalid, texts: []string{"push.1.member.branches.includes.1.member' failed to satisfy constraint: Member must have length less than or equal to 255"}},
		{name: "ErrPullRequestEvent", base: v2, mutate: func(d *sluice.PipelineDeclaration) {
			d.Triggers[0].GitConfiguration.PullRequest = []sluice.GitPullRequestFilter{{Events: []string{"MERGED"}}}
		}, code: sluice.EInvalid, texts: []string{"Value 'MERGED' at 'pipeline.triggers.1.member.gitConfiguration.pullRequest.1.member.events.1.member' failed to satisfy constraint: Member must satisfy enum value set: [OPEN, UPDATED, CLOSED]"}},
		{name: "ErrConditionResultEnum", base: v2, mutate: func(d *sluice.PipelineDeclaration) { d.Stages[1].BeforeEntry.Conditions[0].Result = "ABORT" },
			code: sluice.EInvalid, texts: []string{"at 'pipeline.stages.2.member.beforeEntry.conditions.1.member.result' failed to satisfy constraint: Member must satisfy enum value set: [ROLLBACK, FAIL, RETRY, SKIP]"}},
		{name: "ErrTooManyConditions", base: v2, mutate: func(d *sluice.PipelineDeclaration) {
			c := &d.Stages[1].BeforeEntry.Conditions
			*c = append(*c, (*c)[0])
		}, code: sluice.EInvalid, texts: []string{"at 'pipeline.stages.2.member.beforeEntry.conditions' failed to satisfy constraint: Member must have length less than or equal to 1"}},
		{name: "ErrConditionsNull", base: v2, mutate: func(d *sluice.PipelineDeclaration) { d.Stages[1].OnSuccess = &sluice.SuccessConditions{} },
			code: sluice.EInvalid, texts: []string{"Value null at 'pipeline.stages.2.member.onSuccess.conditions'"}},
		{name: "ErrTooManyRules", base: v2, mutate: func(d *sluice.PipelineDeclaration) {
			r := rule("R", "DeploymentWindow")
			d.Stages[1].BeforeEntry.Conditions[0].Rules = []sluice.RuleDeclaration{r, r, r, r, r, r}
		}, code: sluice.EInvalid, texts: []string{"conditions.1.member.rules' failed to satisfy constraint: Member must have length less than or equal to 5"}},
		{name: "ErrRuleCategory", base: v2, mutate: func(d *sluice.PipelineDeclaration) {
			d.Stages[1].BeforeEntry.Conditions[0].Rules[0].RuleTypeID.Category = "Check"
		}, code: sluice.EInvalid, texts: []string{"rules.1.member.ruleTypeId.category' failed to satisfy constraint: Member must satisfy enum value set: [Rule]"}},
		{name: "ErrRetryMode", base: v2, mutate: func(d *sluice.PipelineDeclaration) {
			d.Stages[1].OnFailure = &sluice.FailureConditions{Result: "RETRY", RetryConfiguration: &sluice.RetryConfiguration{RetryMode: "SOME"}}
		}, code: sluice.EInvalid, texts: []string{"at 'pipeline.stages.2.member.onFailure.retryConfiguration.retryMode' failed to satisfy constraint: Member must satisfy enum value set: [FAILED_ACTIONS, ALL_ACTIONS]"}},
	})
}

func TestShapeReportsAllViolations(t *testing.T) {
	t.Parallel()

	t.Run("CountsAndJoinsThem", func(t *testing.T) {
		t.Parallel()
		d := v1Pipeline()
		d.Name = "bad name"
		action(d, 1, 0).Name = "x y"
		action(d, 1, 1).RunOrder = 1000
		err := validate.Pipeline(d, nil)
		require.Equal(t, sluice.EInvalid, sluice.ErrorCode(err))
		require.Equal(t, "3 validation errors detected: "+
			`Value 'bad name' at 'pipeline.name' failed to satisfy constraint: Member must satisfy regular expression pattern: [A-Za-z0-9.@\-_]+; `+
			`Value 'x y' at 'pipeline.stages.2.member.actions.1.member.name' failed to satisfy constraint: Member must satisfy regular expression pattern: [A-Za-z0-9.@\-_]+; `+
			`Value '1000' at 'pipeline.stages.2.member.actions.2.member.runOrder' failed to satisfy constraint: Member must have value less than or equal to 999`,
			err.Error())
	})

	t.Run("ListsTheFirst25", func(t *testing.T) {
		t.Parallel()
		d := v1Pipeline()
		d.Stages[1].Actions = make([]sluice.ActionDeclaration, 1000) // 5 null members each
		err := validate.Pipeline(d, nil)
		require.Equal(t, sluice.EInvalid, sluice.ErrorCode(err))
		require.True(t, strings.HasPrefix(err.Error(), "5000 validation errors detected: "), err.Error())
		require.True(t, strings.HasSuffix(err.Error(), "; and 4975 more"), err.Error())
		require.Equal(t, 25, strings.Count(err.Error(), "failed to satisfy constraint"))
	})

	t.Run("OneValueBreakingTwoConstraints", func(t *testing.T) {
		t.Parallel()
		d := v1Pipeline()
		d.Stages[0].Name = strings.Repeat("a b", 40)
		err := validate.Pipeline(d, nil)
		require.Contains(t, err.Error(), "2 validation errors detected: ")
		require.Contains(t, err.Error(), "Member must have length less than or equal to 100; ")
	})
}
