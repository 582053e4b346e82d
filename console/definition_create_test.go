package console_test

import (
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/service"
)

func TestCreatePipelinePage(t *testing.T) {
	t.Parallel()
	t.Run("OKFromYAML", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		b := f.root()
		resp, body := b.get("/create")
		require.Equal(t, http.StatusOK, resp.StatusCode)
		require.Contains(t, body, `<form method="post" action="/create"`)
		doc := `pipeline:
  name: pasted
  roleArn: arn:aws:iam::123456789012:role/pipeline
  artifactStore: {type: S3, location: bucket}
  stages:
  - name: Source
    actions:
    - name: Code
      actionTypeId: {category: Source, owner: AWS, provider: S3, version: 1}
      configuration: {S3Bucket: b, S3ObjectKey: app.zip, PollForSourceChanges: false}
      outputArtifacts: [{name: src}]
  - name: Approve
    actions:
    - name: Ok
      actionTypeId: {category: Approval, owner: AWS, provider: Manual, version: 1}
tags:
- {key: team, value: web}
`
		resp, _ = b.submit("/create", "/create", url.Values{"definition": {doc}})
		require.Equal(t, http.StatusSeeOther, resp.StatusCode)
		require.Equal(t, "/pipelines/pasted", resp.Header.Get("Location"))
		p, err := f.db.GetPipeline(f.ctx, "pasted", 0)
		require.NoError(t, err)
		require.Equal(t, "false", p.Declaration.Stages[0].Actions[0].Configuration["PollForSourceChanges"])
		tags, _, err := f.core.ListTags(f.ctx, rootCaller, p.ARN, sluice.Page{})
		require.NoError(t, err)
		require.Equal(t, []sluice.Tag{{Key: "team", Value: "web"}}, tags)
		events, _, err := f.core.LookupEvents(f.ctx, sluice.ServerCaller(), service.LookupParams{Attributes: []service.LookupAttribute{{Key: "EventName", Value: "CreatePipeline"}}})
		require.NoError(t, err)
		require.Len(t, events, 1)
	})
	t.Run("OKCorpusCLIInput", func(t *testing.T) {
		t.Parallel()
		raw, err := os.ReadFile("/work/shared/corpus/pipelines/awscli-create-pipeline-input.json")
		if err != nil {
			t.Skip("the shared corpus is not on this machine")
		}
		f := setup(t)
		resp, _ := f.root().submit("/create", "/create", url.Values{"definition": {string(raw)}})
		require.Equal(t, http.StatusSeeOther, resp.StatusCode)
		require.Equal(t, "/pipelines/MySecondPipeline", resp.Header.Get("Location"))
	})
	t.Run("ErrAtField", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		doc := encodeForTest(t, declTwoApprovals("fresh"))
		bad := strings.Replace(doc, `"runOrder": 2`, `"runOrder": -3`, 1)
		resp, body := f.root().submit("/create", "/create", url.Values{"definition": {bad}})
		require.Equal(t, http.StatusBadRequest, resp.StatusCode)
		require.Contains(t, body, "The pipeline was not created")
		require.Contains(t, listingItem(t, body, lineOf(t, bad, `"runOrder": -3`, 1)), "Member must have value greater than or equal to 1")
		_, err := f.db.GetPipeline(f.ctx, "fresh", 0)
		require.True(t, sluice.IsCode(err, sluice.ENotFound))
	})
	t.Run("ErrUnknownFieldAtItsLine", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		doc := "name: fresh\nroleArn: r\nstagez: []\n"
		resp, body := f.root().submit("/create", "/create", url.Values{"definition": {doc}})
		require.Equal(t, http.StatusBadRequest, resp.StatusCode)
		require.Contains(t, listingItem(t, body, 3), "Unknown field &#34;stagez&#34;")
	})
	t.Run("ErrNameInUseAtName", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		f.makePipeline("app")
		doc := encodeForTest(t, declTwoApprovals("app"))
		resp, body := f.root().submit("/create", "/create", url.Values{"definition": {doc}})
		require.Equal(t, http.StatusBadRequest, resp.StatusCode)
		require.Contains(t, listingItem(t, body, lineOf(t, doc, `"name": "app"`, 1)), "already in use")
	})
	t.Run("ErrWrongTypeAtItsLineAndColumn", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		doc := strings.Replace(encodeForTest(t, declTwoApprovals("fresh")), `"runOrder": 2`, `"runOrder": "2"`, 1)
		resp, body := f.root().submit("/create", "/create", url.Values{"definition": {doc}})
		require.Equal(t, http.StatusBadRequest, resp.StatusCode)
		n := lineOf(t, doc, `"runOrder": "2"`, 1)
		require.Contains(t, body, `<a href="#L`+strconv.Itoa(n)+`">Line `+strconv.Itoa(n)+`, column`)
		require.Contains(t, listingItem(t, body, n), "runOrder must be a whole number, not a string")
	})
	t.Run("NewRedirects", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		resp, _ := f.root().get("/pipelines/new")
		require.Equal(t, http.StatusSeeOther, resp.StatusCode)
		require.Equal(t, "/create", resp.Header.Get("Location"))
	})
}

func TestDeletePipelinePage(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.makePipeline("app")
	b := f.root()
	resp, body := b.get("/pipelines/app/delete")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Contains(t, body, `<label for="confirm">Type <code>app</code> to confirm</label>`)
	resp, body = b.submit("/pipelines/app/delete", "/pipelines/app/delete", url.Values{"confirm": {"ap"}})
	require.Equal(t, http.StatusBadRequest, resp.StatusCode)
	require.Contains(t, body, "nothing was deleted")
	require.Equal(t, 1, f.storedVersion("app"))
	resp, _ = b.submit("/pipelines/app/delete", "/pipelines/app/delete", url.Values{"confirm": {"app"}})
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	require.Equal(t, "/?deleted=app", resp.Header.Get("Location"))
	_, body = b.get(resp.Header.Get("Location"))
	require.Contains(t, body, "Pipeline “app” was deleted.")
	_, err := f.db.GetPipeline(f.ctx, "app", 0)
	require.True(t, sluice.IsCode(err, sluice.ENotFound))
	events, _, err := f.core.LookupEvents(f.ctx, sluice.ServerCaller(), service.LookupParams{Attributes: []service.LookupAttribute{{Key: "EventName", Value: "DeletePipeline"}}})
	require.NoError(t, err)
	require.Len(t, events, 1)
}
