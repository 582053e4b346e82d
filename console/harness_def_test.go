package console_test

import (
	"encoding/json"
	"html"
	"regexp"
	"strconv"
	"strings"

	"github.com/stretchr/testify/require"

	"sluice"
)

// secretToken is the GitHub source's OAuthToken in declTwoApprovals: the core masks it.
const secretToken = "ghp_s3cretvalue"

// declTwoApprovals is a pipeline that needs no worker to sit still: a GitHub (v1) source
// whose OAuthToken is a secret, then a stage of two manual approvals.
func declTwoApprovals(name string) sluice.PipelineDeclaration {
	approval := sluice.ActionTypeID{Category: sluice.CategoryApproval, Owner: sluice.OwnerAWS, Provider: "Manual", Version: "1"}
	return sluice.PipelineDeclaration{
		Name: name, RoleArn: "arn:aws:iam::" + account + ":role/pipeline",
		ArtifactStore: &sluice.ArtifactStoreDecl{Type: "S3", Location: "bucket"},
		Stages: []sluice.StageDeclaration{
			{Name: "Source", Actions: []sluice.ActionDeclaration{{
				Name:         "Code",
				ActionTypeID: sluice.ActionTypeID{Category: sluice.CategorySource, Owner: sluice.OwnerThirdParty, Provider: "GitHub", Version: "1"},
				Configuration: map[string]string{"Owner": "octo", "Repo": "app", "Branch": "main", "OAuthToken": secretToken,
					"PollForSourceChanges": "false"},
				OutputArtifacts: []sluice.OutputArtifact{{Name: "src"}},
			}}},
			{Name: "Approve", Actions: []sluice.ActionDeclaration{
				{Name: "First", ActionTypeID: approval, RunOrder: 1},
				{Name: "Second", ActionTypeID: approval, RunOrder: 2},
			}},
		},
	}
}

// makePipeline creates declTwoApprovals(name) as root.
func (f *fixture) makePipeline(name string) {
	_, err := f.core.CreatePipeline(f.ctx, rootCaller, declTwoApprovals(name), nil)
	require.NoError(f.t, err)
}

// storedVersion is the pipeline's current version as the store has it.
func (f *fixture) storedVersion(name string) int {
	p, err := f.db.GetPipeline(f.ctx, name, 0)
	require.NoError(f.t, err)
	return p.Declaration.Version
}

// readOnlyPolicy lets a user read pipelines and nothing more.
const readOnlyPolicy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["codepipeline:Get*","codepipeline:List*"],"Resource":"*"}]}`

var textareaRe = regexp.MustCompile(`(?s)<textarea[^>]*name="definition"[^>]*>(.*?)</textarea>`)

// textarea is the document in a page's editor, unescaped as the browser shows it.
func textarea(t require.TestingT, page string) string {
	m := textareaRe.FindStringSubmatch(page)
	require.NotNil(t, m, "the page has no definition textarea")
	return strings.TrimPrefix(html.UnescapeString(m[1]), "\n")
}

// lineOf is the 1-based number of the nth (1-based) line of text holding substr.
func lineOf(t require.TestingT, text, substr string, nth int) int {
	for i, l := range strings.Split(text, "\n") {
		if strings.Contains(l, substr) {
			if nth--; nth == 0 {
				return i + 1
			}
		}
	}
	require.Failf(t, "no such line", "%q (occurrence %d) is not in the document", substr, nth)
	return 0
}

// listingItem is the numbered listing's item for line n (its errors inside it).
func listingItem(t require.TestingT, page string, n int) string {
	re := regexp.MustCompile(`(?s)<li id="L` + strconv.Itoa(n) + `"[^>]*>.*?</li>`)
	m := re.FindString(page)
	require.NotEmpty(t, m, "the listing has no line %d", n)
	return m
}

// encodeForTest is d as a pasted document: wrapped, JSON, indented as the console shows it.
func encodeForTest(t require.TestingT, d sluice.PipelineDeclaration) string {
	js, err := json.MarshalIndent(map[string]any{"pipeline": d}, "", "  ")
	require.NoError(t, err)
	return string(js)
}
