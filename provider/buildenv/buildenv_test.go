package buildenv_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice/provider/buildenv"
)

func TestVars(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 12, 7, 13, 0, 0, 0, time.UTC)
	base := func() buildenv.Build {
		return buildenv.Build{Project: "proj", JobID: "job-1", PipelineName: "web",
			PipelineARN: "arn:aws:codepipeline:eu-west-1:123456789012:web", Start: start, SrcDir: "/w/in/Src"}
	}
	t.Run("RegionAndAccountOfThePipeline", func(t *testing.T) {
		t.Parallel()
		v := base().Vars()
		require.Equal(t, "arn:aws:codebuild:eu-west-1:123456789012:build/proj:job-1", v["CODEBUILD_BUILD_ARN"])
		require.Equal(t, "arn:aws:codebuild:eu-west-1:123456789012:project/proj", v["CODEBUILD_PROJECT_ARN"])
		require.Equal(t, "eu-west-1", v["AWS_REGION"])
		require.Equal(t, "1796648400", v["CODEBUILD_BUILD_NUMBER"])
		require.NotContains(t, v, "CODEBUILD_RESOLVED_SOURCE_VERSION", "no revision known")
	})
	t.Run("NoRegionKnown", func(t *testing.T) {
		t.Parallel()
		b := base()
		b.PipelineARN = ""
		v := b.Vars()
		require.Equal(t, "arn:aws:codebuild:us-east-1:000000000000:build/proj:job-1", v["CODEBUILD_BUILD_ARN"])
		require.NotContains(t, v, "AWS_REGION")
		require.NotContains(t, v, "AWS_DEFAULT_REGION")
	})
	t.Run("NumberAndSecondarySources", func(t *testing.T) {
		t.Parallel()
		b := base()
		b.Number, b.Secondary, b.Revision = 42, map[string]string{"lib-src": "/w/in/lib-src"}, "abc"
		v := b.Vars()
		require.Equal(t, "42", v["CODEBUILD_BUILD_NUMBER"])
		require.Equal(t, "/w/in/lib-src", v["CODEBUILD_SRC_DIR_lib-src"])
		require.Equal(t, "abc", v["CODEBUILD_SOURCE_VERSION"])
	})
	t.Run("ListIsSorted", func(t *testing.T) {
		t.Parallel()
		list := base().List()
		require.IsNonDecreasing(t, list)
		require.Contains(t, list, "CODEBUILD_INITIATOR=codepipeline/web")
	})
}
