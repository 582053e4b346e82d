package node_test

import (
	"context"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/stretchr/testify/require"

	"sluice/node/nodetest"
)

// TestConsoleDefinitionWithTheAPI: a pipeline edited in the console is the API's next
// version, and the console's history knows when each version was saved, by the API or the
// console, from the audit trail.
func TestConsoleDefinitionWithTheAPI(t *testing.T) {
	t.Parallel()
	b := nodetest.Setup(t)
	ctx := context.Background()
	p := nodetest.Pipeline("app", nodetest.Stage("Gate", nodetest.Approval("Ok")))
	b.Create(t, p)
	p.Stages[1].Actions[0].Name = aws.String("Approve")
	_, err := b.CP.UpdatePipeline(ctx, &codepipeline.UpdatePipelineInput{Pipeline: p})
	require.NoError(t, err)

	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	web := &http.Client{Jar: jar}
	read := func(resp *http.Response, err error) string {
		require.NoError(t, err)
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, resp.StatusCode, string(body))
		return string(body)
	}
	page := read(web.PostForm(b.URL+"/signin", url.Values{"access_key_id": {nodetest.KeyID},
		"secret_access_key": {nodetest.Secret}, "next": {"/pipelines/app/definition/edit"}}))
	csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(page)[1]
	doc := html.UnescapeString(regexp.MustCompile(`(?s)<textarea[^>]*name="definition"[^>]*>(.*?)</textarea>`).FindStringSubmatch(page)[1])
	doc = strings.Replace(doc, `"name": "Approve"`, `"name": "Sign-off"`, 1)
	page = read(web.PostForm(b.URL+"/pipelines/app/definition/edit", url.Values{"csrf": {csrf}, "definition": {doc}, "base": {"2"}}))
	require.Contains(t, page, "Saved as version 3.")

	got, err := b.CP.GetPipeline(ctx, &codepipeline.GetPipelineInput{Name: aws.String("app")})
	require.NoError(t, err)
	require.Equal(t, int32(3), aws.ToInt32(got.Pipeline.Version))
	require.Equal(t, "Sign-off", aws.ToString(got.Pipeline.Stages[1].Actions[0].Name))
	_, err = b.CP.UpdatePipeline(ctx, &codepipeline.UpdatePipelineInput{Pipeline: got.Pipeline})
	require.NoError(t, err)

	page = read(web.Get(b.URL + "/pipelines/app/versions"))
	for v := 1; v <= 4; v++ {
		row := regexp.MustCompile(`(?s)Version ` + string(rune('0'+v)) + `</a>.*?</tr>`).FindString(page)
		require.Contains(t, row, `<time datetime=`, "version %d's time is known", v)
	}
}
