package console_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/service"
)

func TestDefinitionView(t *testing.T) {
	t.Parallel()
	t.Run("JSON", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		f.makePipeline("app")
		resp, body := f.root().get("/pipelines/app/definition")
		require.Equal(t, http.StatusOK, resp.StatusCode)
		require.Contains(t, body, `&#34;pipeline&#34;: {`)
		require.Contains(t, body, `&#34;OAuthToken&#34;: &#34;****&#34;`, "the secret is masked")
		require.NotContains(t, body, secretToken)
		require.Contains(t, body, `href="/pipelines/app/definition/edit?format=json"`)
		require.Contains(t, body, `href="/pipelines/app/versions"`)
		require.Contains(t, body, `href="/pipelines/app/delete"`)
	})
	t.Run("YAML", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		f.makePipeline("app")
		resp, body := f.root().get("/pipelines/app/definition?format=yaml")
		require.Equal(t, http.StatusOK, resp.StatusCode)
		require.Contains(t, body, "pipeline:\n  name: app\n  roleArn: arn:aws:iam::123456789012:role/pipeline\n")
		require.Contains(t, body, "OAuthToken: &#39;****&#39;")
		require.Contains(t, body, "actionTypeId:")
	})
	t.Run("OlderVersion", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		f.makePipeline("app")
		d := declTwoApprovals("app")
		d.Stages[1].Actions[1].Name = "Renamed"
		_, err := f.core.UpdatePipeline(f.ctx, rootCaller, d)
		require.NoError(t, err)
		b := f.root()
		_, body := b.get("/pipelines/app/definition?version=1")
		require.Contains(t, body, `&#34;Second&#34;`)
		require.Contains(t, body, `<option value="1" selected>1</option>`)
		require.Contains(t, body, `href="/pipelines/app/diff?from=1&amp;to=2"`)
		_, body = b.get("/pipelines/app/definition")
		require.Contains(t, body, `&#34;Renamed&#34;`)
		resp, _ := b.get("/pipelines/app/definition?version=7")
		require.Equal(t, http.StatusNotFound, resp.StatusCode)
	})
}

func TestDefinitionEdit(t *testing.T) {
	t.Parallel()
	t.Run("ErrRunOrderAtItsLine", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		f.makePipeline("app")
		b := f.root()
		_, page := b.get("/pipelines/app/definition/edit")
		doc := textarea(t, page)
		n := lineOf(t, doc, `"runOrder": 2`, 1)
		bad := strings.Replace(doc, `"runOrder": 2`, `"runOrder": 1000`, 1)
		resp, body := b.submit("/pipelines/app/definition/edit", "/pipelines/app/definition/edit", url.Values{"definition": {bad}, "base": {"1"}})
		require.Equal(t, http.StatusBadRequest, resp.StatusCode)
		msg := "Value &#39;1000&#39; at &#39;pipeline.stages.2.member.actions.2.member.runOrder&#39; failed to satisfy constraint"
		require.Contains(t, body, `<a href="#L`+strconv.Itoa(n)+`">Line `+strconv.Itoa(n)+`</a>: 1 validation error detected: `+msg, "the summary links the line")
		item := listingItem(t, body, n)
		require.Contains(t, item, msg, "the error is under the line that holds runOrder")
		require.Contains(t, item, `aria-describedby="err-1"`)
		require.Contains(t, item, `id="err-1"`)
		require.Equal(t, bad, textarea(t, body), "the text typed comes back as typed")
		require.Equal(t, 1, f.storedVersion("app"), "nothing is saved")
	})
	t.Run("ErrDuplicateActionNameInYAML", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		f.makePipeline("app")
		b := f.root()
		_, page := b.get("/pipelines/app/definition/edit?format=yaml")
		doc := textarea(t, page)
		require.Contains(t, doc, "name: Second")
		bad := strings.Replace(doc, "name: Second", "name: First", 1)
		n := lineOf(t, bad, "name: First", 2)
		resp, body := b.submit("/pipelines/app/definition/edit", "/pipelines/app/definition/edit", url.Values{"definition": {bad}, "base": {"1"}})
		require.Equal(t, http.StatusBadRequest, resp.StatusCode)
		require.Contains(t, listingItem(t, body, n), "Action name &#39;First&#39; is used more than once in stage &#39;Approve&#39;")
		require.Equal(t, 1, f.storedVersion("app"))
	})
	t.Run("ErrSyntaxNamesLineAndColumn", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		f.makePipeline("app")
		b := f.root()
		bad := "{\n  \"pipeline\": {\n    \"name\": \"app\",,\n  }\n}\n"
		resp, body := b.submit("/pipelines/app/definition/edit", "/pipelines/app/definition/edit", url.Values{"definition": {bad}})
		require.Equal(t, http.StatusBadRequest, resp.StatusCode)
		require.Contains(t, body, `<a href="#L3">Line 3, column 19</a>: Not valid JSON: invalid character &#39;,&#39;`)
		require.Contains(t, listingItem(t, body, 3), "Not valid JSON")
	})
	t.Run("ErrRename", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		f.makePipeline("app")
		b := f.root()
		_, page := b.get("/pipelines/app/definition/edit")
		doc := strings.Replace(textarea(t, page), `"name": "app"`, `"name": "other"`, 1)
		resp, body := b.submit("/pipelines/app/definition/edit", "/pipelines/app/definition/edit", url.Values{"definition": {doc}})
		require.Equal(t, http.StatusBadRequest, resp.StatusCode)
		require.Contains(t, listingItem(t, body, lineOf(t, doc, `"name": "other"`, 1)), "a pipeline cannot be renamed")
	})
	t.Run("OKSavesNextVersionKeepsSecretAudited", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		f.makePipeline("app")
		b := f.root()
		_, page := b.get("/pipelines/app/definition/edit")
		doc := textarea(t, page)
		require.Contains(t, doc, `"OAuthToken": "****"`)
		doc = strings.Replace(doc, `"name": "Second"`, `"name": "Sign-off"`, 1)
		resp, _ := b.submit("/pipelines/app/definition/edit", "/pipelines/app/definition/edit", url.Values{"definition": {doc}, "base": {"1"}})
		require.Equal(t, http.StatusSeeOther, resp.StatusCode)
		require.Equal(t, "/pipelines/app/definition?saved=2&format=json", resp.Header.Get("Location"))
		_, body := b.get(resp.Header.Get("Location"))
		require.Contains(t, body, "Saved as version 2.")
		p, err := f.db.GetPipeline(f.ctx, "app", 0)
		require.NoError(t, err)
		require.Equal(t, 2, p.Declaration.Version)
		require.Equal(t, "Sign-off", p.Declaration.Stages[1].Actions[1].Name)
		require.Equal(t, secretToken, p.Declaration.Stages[0].Actions[0].Configuration["OAuthToken"], "the masked secret keeps its stored value")
		events, _, err := f.core.LookupEvents(f.ctx, sluice.ServerCaller(), service.LookupParams{Attributes: []service.LookupAttribute{{Key: "EventName", Value: "UpdatePipeline"}}})
		require.NoError(t, err)
		require.Len(t, events, 1)
		require.Empty(t, events[0].ErrorCode)
		require.Contains(t, events[0].UserAgent, "sluice-console")
		require.Contains(t, string(events[0].RequestParameters), `"Sign-off"`)
		require.NotContains(t, string(events[0].RequestParameters), secretToken)
		byName, _, err := f.core.LookupEvents(f.ctx, sluice.ServerCaller(), service.LookupParams{Attributes: []service.LookupAttribute{{Key: "ResourceName", Value: "app"}}})
		require.NoError(t, err)
		require.Equal(t, "UpdatePipeline", byName[0].EventName, "found by the pipeline's name, as the API's records are")
	})
	t.Run("ErrMaskForNewAction", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		f.makePipeline("app")
		b := f.root()
		_, page := b.get("/pipelines/app/definition/edit")
		// Renamed, the source action is a new one: the mask cannot stand for a stored secret.
		doc := strings.Replace(textarea(t, page), `"name": "Code"`, `"name": "Fetch"`, 1)
		resp, body := b.submit("/pipelines/app/definition/edit", "/pipelines/app/definition/edit", url.Values{"definition": {doc}, "base": {"1"}})
		require.Equal(t, http.StatusBadRequest, resp.StatusCode)
		require.Contains(t, listingItem(t, body, lineOf(t, doc, `"name": "Fetch"`, 1)), "may be used in secret properties only when updating an existing action")
		require.Equal(t, 1, f.storedVersion("app"))
	})
	t.Run("ErrStaleBase", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		f.makePipeline("app")
		b := f.root()
		_, page := b.get("/pipelines/app/definition/edit")
		doc := textarea(t, page)
		d := declTwoApprovals("app")
		d.Stages[1].Actions[0].Name = "Theirs"
		_, err := f.core.UpdatePipeline(f.ctx, rootCaller, d)
		require.NoError(t, err)
		resp, body := b.submit("/pipelines/app/definition/edit", "/pipelines/app/definition/edit", url.Values{"definition": {doc}, "base": {"1"}})
		require.Equal(t, http.StatusConflict, resp.StatusCode)
		require.Contains(t, body, "saved as version 2 after you opened version 1")
		require.Contains(t, body, `name="base" value="2"`, "saving again replaces version 2 knowingly")
		require.Equal(t, 2, f.storedVersion("app"))
	})
}

func TestDefinitionVersionsAndDiff(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.makePipeline("app")
	d := declTwoApprovals("app")
	d.Stages[1].Actions[1].Name = "Sign-off"
	_, err := f.core.UpdatePipeline(f.ctx, rootCaller, d)
	require.NoError(t, err)
	b := f.root()
	resp, body := b.get("/pipelines/app/versions")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Contains(t, body, `<a href="/pipelines/app/definition?version=2">Version 2</a> <span class="muted">(current)</span>`)
	require.Contains(t, body, `<a href="/pipelines/app/definition?version=1">Version 1</a>`)
	require.Contains(t, body, `title="arn:aws:iam::123456789012:root"`, "who saved it")
	require.Contains(t, body, `href="/pipelines/app/diff?from=1&amp;to=2"`)
	require.Contains(t, body, `<form method="get" action="/pipelines/app/diff"`)

	resp, body = b.get("/pipelines/app/diff?from=1&to=2")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Regexp(t, `<tr class="del">.*<code>\s*&#34;name&#34;: &#34;Second&#34;,</code>`, body)
	require.Regexp(t, `<tr class="add">.*<code>\s*&#34;name&#34;: &#34;Sign-off&#34;,</code>`, body)
	require.NotContains(t, body, `&#34;version&#34;`, "the version number itself is not a change")

	_, body = b.get("/pipelines/app/diff?from=2&to=2")
	require.Contains(t, body, "The two versions declare the same pipeline.")
	resp, _ = b.get("/pipelines/app/diff?from=x&to=2")
	require.Equal(t, http.StatusBadRequest, resp.StatusCode)
}

func TestDefinitionReadOnlyUser(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.makePipeline("app")
	id, secret := f.addUser("reader", readOnlyPolicy)
	b := f.signIn(id, secret)
	resp, body := b.get("/pipelines/app/definition")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Contains(t, body, `href="/pipelines/app/versions"`)
	require.NotContains(t, body, "/definition/edit")
	require.NotContains(t, body, "/pipelines/app/delete")
	resp, _ = b.get("/pipelines/app/versions")
	require.Equal(t, http.StatusOK, resp.StatusCode, "reading the history is reading the pipeline")
	for _, path := range []string{"/pipelines/app/definition/edit", "/pipelines/app/delete", "/create"} {
		resp, body = b.get(path)
		require.Equal(t, http.StatusForbidden, resp.StatusCode, path)
		require.Contains(t, body, "Your policies do not let you")
	}
	_, home := b.get("/")
	require.NotContains(t, home, "Create pipeline")
	// Posts with the session's valid token (taken from a page that has a form) are refused too.
	doc := encodeForTest(t, declTwoApprovals("app"))
	for path, form := range map[string]url.Values{
		"/pipelines/app/definition/edit": {"definition": {doc}},
		"/pipelines/app/delete":          {"confirm": {"app"}},
		"/create":                        {"definition": {strings.Replace(doc, `"app"`, `"mine"`, 1)}},
	} {
		resp, _ := b.submit("/", path, form)
		require.Equal(t, http.StatusForbidden, resp.StatusCode, path)
	}
	require.Equal(t, 1, f.storedVersion("app"))
	_, err := f.db.GetPipeline(f.ctx, "mine", 0)
	require.True(t, sluice.IsCode(err, sluice.ENotFound))
}

func TestDefinitionNotReadable(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.makePipeline("app")
	id, secret := f.addUser("lister", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"codepipeline:ListPipelines","Resource":"*"}]}`)
	b := f.signIn(id, secret)
	for _, path := range []string{"/pipelines/app/definition", "/pipelines/app/versions", "/pipelines/app/diff?from=1&to=1"} {
		resp, body := b.get(path)
		require.Equal(t, http.StatusForbidden, resp.StatusCode, path)
		require.NotContains(t, body, secretToken)
	}
}

func TestDefinitionForgedPost(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.makePipeline("app")
	b := f.root()
	doc := encodeForTest(t, declTwoApprovals("app"))
	for path, form := range map[string]url.Values{
		"/pipelines/app/definition/edit": {"definition": {strings.Replace(doc, "Second", "Forged", 1)}},
		"/pipelines/app/delete":          {"confirm": {"app"}},
		"/create":                        {"definition": {strings.Replace(doc, `"app"`, `"forged"`, 1)}},
	} {
		resp, body := b.post(path, form)
		require.Equal(t, http.StatusForbidden, resp.StatusCode, path)
		require.Contains(t, body, "security token is missing or stale")
	}
	require.Equal(t, 1, f.storedVersion("app"))
}

func TestVersionsSavedTimes(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.makePipeline("app")
	b := f.root()
	f.clock.add(time.Hour)
	second := f.clock.Now()
	_, page := b.get("/pipelines/app/definition/edit")
	doc := strings.Replace(textarea(t, page), `"name": "Second"`, `"name": "Two"`, 1)
	resp, _ := b.submit("/pipelines/app/definition/edit", "/pipelines/app/definition/edit", url.Values{"definition": {doc}, "base": {"1"}})
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	f.clock.add(time.Hour)
	d := declTwoApprovals("app")
	d.Stages[1].Actions[1].Name = "Three"
	_, err := f.core.UpdatePipeline(f.ctx, rootCaller, d)
	require.NoError(t, err)
	_, body := b.get("/pipelines/app/versions")
	row := regexp.MustCompile(`(?s)Version 2</a>.*?</tr>`).FindString(body)
	require.Contains(t, row, `<time datetime="`+second.UTC().Truncate(time.Second).Format(time.RFC3339)+`"`, "the console's save is in the audit trail, with its time")
	require.Contains(t, regexp.MustCompile(`(?s)Version 3</a>.*?</tr>`).FindString(body), `<time datetime="`+f.clock.Now().UTC().Format(time.RFC3339)+`"`)
}
