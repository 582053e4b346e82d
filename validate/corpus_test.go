package validate_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/catalog"
	"sluice/validate"
)

// corpusDir is the shared corpus, found relative to this package (/work/main/validate).
var corpusDir = filepath.Join("..", "..", "shared", "corpus", "pipelines")

// corpusRegions are the pipeline regions of corpus files that are not in us-east-1.
var corpusRegions = map[string]string{
	"cdk-cloudformation-cross-region.json": "us-west-2",
}

// jenkinsLookup knows the built-in types plus the JenkinsProvider v2 custom types the CDK
// Jenkins pipeline uses, as CreateCustomActionType would register them.
func jenkinsLookup() func(sluice.ActionTypeID) (*sluice.ActionType, bool) {
	jenkins := func(category string) sluice.ActionType {
		return sluice.ActionType{
			ID: sluice.ActionTypeID{Category: category, Owner: sluice.OwnerCustom, Provider: "JenkinsProvider", Version: "2"},
			ConfigurationProperties: []sluice.ActionConfigurationProperty{
				{Name: "ProjectName", Required: true, Key: true, Queryable: true},
			},
			InputArtifactDetails:  sluice.ArtifactDetails{MinimumCount: 0, MaximumCount: 5},
			OutputArtifactDetails: sluice.ArtifactDetails{MinimumCount: 0, MaximumCount: 5},
		}
	}
	return catalog.With(jenkins(sluice.CategoryBuild), jenkins(sluice.CategoryTest))
}

func corpusFiles(t *testing.T, dir string) []string {
	t.Helper()
	if _, err := os.Stat(corpusDir); os.IsNotExist(err) {
		t.Skipf("corpus not found at %s (expected the shared corpus next to the repository)", corpusDir)
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	return files
}

func decodeFile(t *testing.T, path string) *sluice.PipelineDeclaration {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	var doc struct {
		Pipeline *sluice.PipelineDeclaration `json:"pipeline"`
	}
	require.NoError(t, json.Unmarshal(b, &doc))
	require.NotNil(t, doc.Pipeline)
	return doc.Pipeline
}

func TestCorpusValid(t *testing.T) {
	t.Parallel()

	for _, path := range corpusFiles(t, corpusDir) {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			opts := validate.Options{Region: corpusRegions[name]}
			require.NoError(t, opts.Pipeline(decodeFile(t, path), jenkinsLookup()))
		})
	}
}

// invalidCorpus is the corpus README's invalid table: each file's exception and the key
// text of the quoted message. Where the quote came from another pipeline than the mutated
// file, the file's own path or name is used (noted per entry).
var invalidCorpus = map[string]struct {
	code sluice.Code
	text []string
}{
	"deploy-action-zero-input-artifacts.json": {sluice.EActionDecl, []string{
		"Action CodePipelineDemoFleet declares 0 input artifacts which is less than the minimum count (1)",
	}},
	// The README quotes stages.2 from the original issue; this file's action is in stage 3.
	"action-name-with-spaces.json": {sluice.EInvalid, []string{
		"1 validation error detected: Value 'Deploy to Prod' at 'pipeline.stages.3.member.actions.1.member.name' failed to satisfy constraint: Member must satisfy regular expression pattern: [A-Za-z0-9.@\\-_]+",
	}},
	// AWS's quote omits the value ("Value at"); the classic text shows it.
	"namespace-invalid-characters.json": {sluice.EInvalid, []string{
		"at 'pipeline.stages.1.member.actions.1.member.namespace' failed to satisfy constraint: Member must satisfy regular expression pattern: [A-Za-z0-9@\\-_]+",
	}},
	"namespace-not-unique.json": {sluice.EActionDecl, []string{
		"Namespaces must be unique across the pipeline definition. The following occur more than once in the pipeline.",
		"StageName=[Source], ActionName=[Source2], Namespace=[SourceVariables]",
	}},
	"configuration-value-empty.json": {sluice.EInvalid, []string{
		"Value at 'pipeline.stages.1.member.actions.1.member.configuration' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 50000, Member must have length greater than or equal to 1]",
	}},
	// The issue does not name the exception; files on a non-compute action is an action declaration error.
	"codebuild-action-output-artifact-files.json": {sluice.EActionDecl, []string{
		"The following action cannot contain a commands field: BuildDebugAction. To use the commands field, use a compute action.",
		"build_output",
	}},
	"commands-action-empty-commands.json": {sluice.EActionDecl, []string{
		"Action Commands must have a non-empty commands field",
	}},
	"custom-action-type-not-registered.json": {sluice.EActionDecl, []string{
		"ActionType (Category: 'Source', Provider: 'CustomSourceForGit', Owner: 'Custom', Version: '1') in action 'Download-Source' is not available in region 'US_EAST_1'",
	}},
}

func TestCorpusInvalid(t *testing.T) {
	t.Parallel()

	files := corpusFiles(t, filepath.Join(corpusDir, "invalid"))
	require.Len(t, files, len(invalidCorpus), "every invalid corpus file needs an expectation")
	for _, path := range files {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			want, ok := invalidCorpus[name]
			require.True(t, ok, "no expectation for %s", name)
			err := validate.Pipeline(decodeFile(t, path), jenkinsLookup())
			require.Error(t, err)
			require.Equal(t, want.code, sluice.ErrorCode(err), err.Error())
			for _, text := range want.text {
				require.Contains(t, err.Error(), text)
			}
		})
	}
}
