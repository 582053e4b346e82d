package catalog_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/catalog"
)

func id(category, owner, provider string) sluice.ActionTypeID {
	return sluice.ActionTypeID{Category: category, Owner: owner, Provider: provider, Version: "1"}
}

func TestBuiltIn(t *testing.T) {
	t.Parallel()

	t.Run("ListsEveryBuiltInTypeOnce", func(t *testing.T) {
		t.Parallel()
		want := []sluice.ActionTypeID{
			id("Source", "AWS", "S3"), id("Source", "AWS", "CodeCommit"), id("Source", "AWS", "ECR"),
			id("Source", "AWS", "CodeStarSourceConnection"), id("Source", "ThirdParty", "GitHub"),
			id("Build", "AWS", "CodeBuild"), id("Test", "AWS", "CodeBuild"), id("Build", "AWS", "ECRBuildAndPublish"),
			id("Compute", "AWS", "Commands"), id("Test", "AWS", "DeviceFarm"), id("Approval", "AWS", "Manual"),
			id("Deploy", "AWS", "S3"), id("Deploy", "AWS", "CodeDeploy"), id("Deploy", "AWS", "ElasticBeanstalk"),
			id("Deploy", "AWS", "OpsWorks"), id("Deploy", "AWS", "ECS"), id("Deploy", "AWS", "CodeDeployToECS"),
			id("Deploy", "AWS", "ServiceCatalog"), id("Deploy", "AWS", "CloudFormation"),
			id("Deploy", "AWS", "CloudFormationStackSet"), id("Deploy", "AWS", "CloudFormationStackInstances"),
			id("Deploy", "AWS", "AppConfig"), id("Invoke", "AWS", "Lambda"), id("Invoke", "AWS", "StepFunctions"),
			id("Invoke", "AWS", "CodePipeline"), id("Deploy", "ThirdParty", "AlexaSkillsKit"),
			id("Deploy", "AWS", "EC2"), id("Deploy", "AWS", "EKS"), id("Deploy", "AWS", "Lambda"),
			id("Invoke", "AWS", "InspectorScan"), id("Invoke", "ThirdParty", "Snyk"),
		}
		var got []sluice.ActionTypeID
		for _, t := range catalog.BuiltIn() {
			got = append(got, t.ID)
		}
		require.ElementsMatch(t, want, got)
	})

	t.Run("BoundsAreConsistent", func(t *testing.T) {
		t.Parallel()
		for _, typ := range catalog.BuiltIn() {
			for _, b := range []sluice.ArtifactDetails{typ.InputArtifactDetails, typ.OutputArtifactDetails} {
				require.GreaterOrEqual(t, b.MinimumCount, 0, typ.ID.String())
				require.LessOrEqual(t, b.MinimumCount, b.MaximumCount, typ.ID.String())
				require.LessOrEqual(t, b.MaximumCount, 10, typ.ID.String())
			}
		}
	})

	t.Run("PropertyNamesAreUniquePerType", func(t *testing.T) {
		t.Parallel()
		for _, typ := range catalog.BuiltIn() {
			seen := map[string]bool{}
			for _, p := range typ.ConfigurationProperties {
				require.False(t, seen[p.Name], "%s declares %s twice", typ.ID, p.Name)
				seen[p.Name] = true
			}
		}
	})

	t.Run("ReturnsAFreshCopy", func(t *testing.T) {
		t.Parallel()
		first := catalog.BuiltIn()
		first[0].ID.Provider = "Changed"
		first[0].ConfigurationProperties[0].Name = "Changed"
		second := catalog.BuiltIn()
		require.NotEqual(t, "Changed", second[0].ID.Provider)
		require.NotEqual(t, "Changed", second[0].ConfigurationProperties[0].Name)
	})
}

func TestLookup(t *testing.T) {
	t.Parallel()

	t.Run("FindsCodeBuildWithBounds", func(t *testing.T) {
		t.Parallel()
		typ, ok := catalog.Lookup(id("Build", "AWS", "CodeBuild"))
		require.True(t, ok)
		require.Equal(t, sluice.ArtifactDetails{MinimumCount: 1, MaximumCount: 5}, typ.InputArtifactDetails)
		require.Equal(t, sluice.ArtifactDetails{MinimumCount: 0, MaximumCount: 5}, typ.OutputArtifactDetails)
		require.True(t, typ.Property("ProjectName").Required)
	})

	t.Run("GitHubTokenIsSecret", func(t *testing.T) {
		t.Parallel()
		typ, ok := catalog.Lookup(id("Source", "ThirdParty", "GitHub"))
		require.True(t, ok)
		require.True(t, typ.Property("OAuthToken").Secret)
		require.False(t, typ.Property("PollForSourceChanges").Required)
	})

	t.Run("ActionReferenceTypes", func(t *testing.T) {
		t.Parallel()
		tests := []struct {
			id       sluice.ActionTypeID
			in, out  sluice.ArtifactDetails
			required []string
		}{
			{id("Deploy", "AWS", "EC2"), sluice.ArtifactDetails{MinimumCount: 1, MaximumCount: 1}, sluice.ArtifactDetails{},
				[]string{"InstanceTagKey", "InstanceType"}},
			{id("Deploy", "AWS", "EKS"), sluice.ArtifactDetails{MinimumCount: 1, MaximumCount: 1}, sluice.ArtifactDetails{},
				[]string{"ClusterName"}},
			{id("Deploy", "AWS", "Lambda"), sluice.ArtifactDetails{MinimumCount: 0, MaximumCount: 1}, sluice.ArtifactDetails{},
				[]string{"FunctionName"}},
			{id("Invoke", "AWS", "InspectorScan"), sluice.ArtifactDetails{MinimumCount: 0, MaximumCount: 1},
				sluice.ArtifactDetails{MinimumCount: 0, MaximumCount: 1}, []string{"InspectorRunMode"}},
			{id("Deploy", "AWS", "CloudFormationStackSet"), sluice.ArtifactDetails{MinimumCount: 1, MaximumCount: 3},
				sluice.ArtifactDetails{}, []string{"StackSetName", "TemplatePath"}},
			{id("Deploy", "AWS", "CloudFormationStackInstances"), sluice.ArtifactDetails{MinimumCount: 0, MaximumCount: 3},
				sluice.ArtifactDetails{}, []string{"StackSetName"}},
		}
		for _, tt := range tests {
			typ, ok := catalog.Lookup(tt.id)
			require.True(t, ok, tt.id.String())
			require.Equal(t, tt.in, typ.InputArtifactDetails, tt.id.String())
			require.Equal(t, tt.out, typ.OutputArtifactDetails, tt.id.String())
			var required []string
			for _, p := range typ.ConfigurationProperties {
				if p.Required {
					required = append(required, p.Name)
				}
			}
			require.Equal(t, tt.required, required, tt.id.String())
		}
	})
	t.Run("UnknownTypeIsNotFound", func(t *testing.T) {
		t.Parallel()
		_, ok := catalog.Lookup(id("Build", "Custom", "Jenkins"))
		require.False(t, ok)
		_, ok = catalog.Lookup(sluice.ActionTypeID{Category: "Build", Owner: "AWS", Provider: "CodeBuild", Version: "2"})
		require.False(t, ok)
	})
}

func TestStrict(t *testing.T) {
	t.Parallel()

	t.Run("ResearchedTypesAreStrict", func(t *testing.T) {
		t.Parallel()
		require.True(t, catalog.Strict(id("Source", "AWS", "S3")))
		require.True(t, catalog.Strict(id("Deploy", "AWS", "CloudFormation")))
	})

	t.Run("UnresearchedTypesAreLenient", func(t *testing.T) {
		t.Parallel()
		for _, p := range []string{"OpsWorks", "ServiceCatalog", "ElasticBeanstalk", "CodeDeployToECS", "AppConfig",
			"EC2", "EKS", "Lambda", "CloudFormationStackSet", "CloudFormationStackInstances"} {
			require.False(t, catalog.Strict(id("Deploy", "AWS", p)), p)
		}
		require.False(t, catalog.Strict(id("Test", "AWS", "DeviceFarm")))
	})

	t.Run("UnknownTypeIsNotStrict", func(t *testing.T) {
		t.Parallel()
		require.False(t, catalog.Strict(id("Build", "Custom", "Jenkins")))
	})
}

func TestRequiresV2(t *testing.T) {
	t.Parallel()

	t.Run("V2OnlyTypes", func(t *testing.T) {
		t.Parallel()
		require.True(t, catalog.RequiresV2(id("Compute", "AWS", "Commands")))
		require.True(t, catalog.RequiresV2(id("Invoke", "AWS", "CodePipeline")))
		require.True(t, catalog.RequiresV2(id("Build", "AWS", "ECRBuildAndPublish")))
		for _, p := range []string{"EC2", "EKS", "Lambda"} {
			require.True(t, catalog.RequiresV2(id("Deploy", "AWS", p)), p)
		}
	})

	t.Run("ClassicTypes", func(t *testing.T) {
		t.Parallel()
		require.False(t, catalog.RequiresV2(id("Build", "AWS", "CodeBuild")))
		require.False(t, catalog.RequiresV2(id("Build", "Custom", "Jenkins")))
	})
}

func TestWith(t *testing.T) {
	t.Parallel()

	jenkins := sluice.ActionType{ID: sluice.ActionTypeID{Category: "Build", Owner: "Custom", Provider: "Jenkins", Version: "1"}}

	t.Run("FindsExtraAndBuiltIn", func(t *testing.T) {
		t.Parallel()
		lookup := catalog.With(jenkins)
		got, ok := lookup(jenkins.ID)
		require.True(t, ok)
		require.Equal(t, jenkins.ID, got.ID)
		_, ok = lookup(id("Approval", "AWS", "Manual"))
		require.True(t, ok)
	})

	t.Run("MissingTypeIsNotFound", func(t *testing.T) {
		t.Parallel()
		got, ok := catalog.With()(jenkins.ID)
		require.False(t, ok)
		require.Nil(t, got)
	})
}

func TestRuleTypes(t *testing.T) {
	t.Parallel()

	t.Run("ListsTheRuleReference", func(t *testing.T) {
		t.Parallel()
		var got []string
		for _, r := range catalog.RuleTypes() {
			require.Equal(t, sluice.RuleCategory, r.ID.Category)
			require.Equal(t, sluice.OwnerAWS, r.ID.Owner)
			require.Equal(t, "1", r.ID.Version)
			require.NotNil(t, r.ConfigurationProperties)
			require.LessOrEqual(t, len(r.ConfigurationProperties), 10)
			require.LessOrEqual(t, r.InputArtifactDetails.MinimumCount, r.InputArtifactDetails.MaximumCount)
			require.LessOrEqual(t, r.InputArtifactDetails.MaximumCount, 5)
			for _, p := range r.ConfigurationProperties {
				require.LessOrEqual(t, len(p.Description), 160, p.Name) // the model's Description
			}
			got = append(got, r.ID.Provider)
		}
		require.Equal(t, []string{"CloudWatchAlarm", "Commands", "DeploymentWindow", "LambdaInvoke", "VariableCheck"}, got)
	})

	t.Run("Properties", func(t *testing.T) {
		t.Parallel()
		w, ok := catalog.LookupRuleType(sluice.RuleTypeID{Category: "Rule", Provider: "DeploymentWindow"})
		require.True(t, ok)
		require.True(t, w.Property("Cron").Required)
		require.False(t, w.Property("TimeZone").Required)
		v, ok := catalog.LookupRuleType(sluice.RuleTypeID{Category: "Rule", Owner: "AWS", Provider: "VariableCheck", Version: "1"})
		require.True(t, ok)
		for _, name := range []string{"Variable", "Operator", "Value"} {
			require.True(t, v.Property(name).Required, name)
		}
		_, ok = catalog.LookupRuleType(sluice.RuleTypeID{Category: "Rule", Owner: "AWS", Provider: "Nope", Version: "1"})
		require.False(t, ok)
	})
}

func TestPartner(t *testing.T) {
	t.Parallel()
	require.True(t, catalog.Partner(id("Invoke", "ThirdParty", "Snyk")))
	require.False(t, catalog.Partner(id("Source", "ThirdParty", "GitHub")), "CodePipeline runs GitHub (v1) itself")
	require.False(t, catalog.Partner(id("Test", "ThirdParty", "Unknown")))
}
