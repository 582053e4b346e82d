package console_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/service"
)

func TestSignIn(t *testing.T) {
	t.Parallel()
	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		b := f.browser()
		resp, _ := b.get("/")
		require.Equal(t, http.StatusSeeOther, resp.StatusCode)
		require.Equal(t, "/signin?next=%2F", resp.Header.Get("Location"))
		resp, _ = b.post("/signin", url.Values{"access_key_id": {rootID}, "secret_access_key": {rootSec}, "next": {"/pipelines/app"}})
		require.Equal(t, http.StatusSeeOther, resp.StatusCode)
		require.Equal(t, "/pipelines/app", resp.Header.Get("Location"))
		ck := resp.Cookies()[0]
		require.True(t, ck.HttpOnly)
		require.Equal(t, http.SameSiteStrictMode, ck.SameSite)
		require.False(t, ck.Secure, "not Secure over plain HTTP")
		resp, body := b.get("/")
		require.Equal(t, http.StatusOK, resp.StatusCode)
		require.Contains(t, body, "<h1>Pipelines</h1>")
		require.Contains(t, body, `title="arn:aws:iam::123456789012:root">root</span>`)
		events, _, err := f.core.LookupEvents(f.ctx, sluice.ServerCaller(), service.LookupParams{Attributes: []service.LookupAttribute{{Key: "EventName", Value: "ConsoleLogin"}}})
		require.NoError(t, err)
		require.Len(t, events, 1)
		require.Equal(t, "signin.amazonaws.com", events[0].EventSource)
		require.Equal(t, "AwsConsoleSignIn", events[0].EventType)
		require.JSONEq(t, `{"ConsoleLogin":"Success"}`, string(events[0].ResponseElements))
		require.Equal(t, "Root", events[0].UserIdentity.Type)
	})
	t.Run("ErrWrongSecret", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		resp, body := f.browser().post("/signin", url.Values{"access_key_id": {rootID}, "secret_access_key": {"nope"}})
		require.Equal(t, http.StatusUnauthorized, resp.StatusCode)
		require.Contains(t, body, "Sign-in failed")
		require.Empty(t, resp.Cookies())
		events, _, err := f.core.LookupEvents(f.ctx, sluice.ServerCaller(), service.LookupParams{Attributes: []service.LookupAttribute{{Key: "EventName", Value: "ConsoleLogin"}}})
		require.NoError(t, err)
		require.Len(t, events, 1)
		require.JSONEq(t, `{"ConsoleLogin":"Failure"}`, string(events[0].ResponseElements))
		require.Equal(t, "Failed authentication", events[0].ErrorMessage)
	})
	t.Run("ErrInactiveKey", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		id, secret := f.addUser("ann", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"codepipeline:List*","Resource":"*"}]}`)
		b := f.signIn(id, secret)
		resp, _ := b.get("/")
		require.Equal(t, http.StatusOK, resp.StatusCode)
		root := sluice.Caller{Principal: "arn:aws:iam::" + account + ":root", AccessKeyID: rootID}
		require.NoError(t, f.core.UpdateAccessKey(f.ctx, root, "ann", id, sluice.KeyInactive))
		resp, _ = b.get("/")
		require.Equal(t, http.StatusSeeOther, resp.StatusCode, "a session ends with its key")
		resp, _ = f.browser().post("/signin", url.Values{"access_key_id": {id}, "secret_access_key": {secret}})
		require.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	})
	t.Run("Expiry", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		b := f.root()
		f.clock.add(service.DefaultSessionTTL - time.Minute)
		resp, _ := b.get("/")
		require.Equal(t, http.StatusOK, resp.StatusCode)
		f.clock.add(2 * time.Minute)
		resp, _ = b.get("/")
		require.Equal(t, http.StatusSeeOther, resp.StatusCode)
		n, err := f.core.PruneSessions(f.ctx)
		require.NoError(t, err)
		require.Equal(t, 1, n)
	})
	t.Run("SignOut", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		b := f.root()
		_, page := b.get("/")
		stolen := b.client.Jar.Cookies(mustURL(t, f.srv.URL))
		resp, _ := b.submit("/", "/signout", url.Values{})
		require.Equal(t, http.StatusSeeOther, resp.StatusCode)
		require.Contains(t, page, `action="/signout"`)
		other := f.browser()
		other.client.Jar.SetCookies(mustURL(t, f.srv.URL), stolen)
		resp, _ = other.get("/")
		require.Equal(t, http.StatusSeeOther, resp.StatusCode, "the cookie of a signed-out session signs no one in")
	})
	t.Run("NextStaysOnSite", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		for _, next := range []string{"https://evil.example/", "//evil.example/", "/\\evil.example"} {
			resp, _ := f.browser().post("/signin", url.Values{"access_key_id": {rootID}, "secret_access_key": {rootSec}, "next": {next}})
			require.Equal(t, "/", resp.Header.Get("Location"), next)
		}
	})
}

func TestCSRF(t *testing.T) {
	t.Parallel()
	f := setup(t)
	b := f.root()
	for _, form := range []url.Values{{}, {"csrf": {"forged"}}} {
		resp, body := b.post("/signout", form)
		require.Equal(t, http.StatusForbidden, resp.StatusCode)
		require.Contains(t, body, "security token")
		resp, _ = b.get("/")
		require.Equal(t, http.StatusOK, resp.StatusCode, "a refused post changed nothing: still signed in")
	}
	// Another user's token is no good either.
	other := f.root()
	_, page := other.get("/")
	m := csrfField.FindStringSubmatch(page)
	resp, _ := b.post("/signout", url.Values{"csrf": {m[1]}})
	require.Equal(t, http.StatusForbidden, resp.StatusCode)
}

func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	f := setup(t)
	resp, body := f.root().get("/")
	require.Contains(t, resp.Header.Get("Content-Security-Policy"), "default-src 'self'")
	require.Equal(t, "no-store", resp.Header.Get("Cache-Control"))
	require.False(t, strings.Contains(body, "http://") || strings.Contains(body, "https://"), "nothing is loaded from outside the server")
}

func mustURL(t *testing.T, s string) *url.URL {
	u, err := url.Parse(s)
	require.NoError(t, err)
	return u
}

// A visit to an address that only takes a form's post answers 405, and changes nothing.
func TestGetOfFormAddress(t *testing.T) {
	t.Parallel()
	f := setup(t)
	b := f.root()
	resp, _ := b.get("/signout")
	require.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)
	require.Equal(t, "POST", resp.Header.Get("Allow"))
	resp, _ = b.get("/")
	require.Equal(t, http.StatusOK, resp.StatusCode, "still signed in")
	resp, _ = b.get("/no/such/page")
	require.Equal(t, http.StatusNotFound, resp.StatusCode)
}
