package consoletest_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"sluice/node/nodetest"
)

// TestSignIn: a person who opens the console is sent to sign in, signs in with the root
// key, lands on the page they asked for and sees their pipelines; signing out ends it.
func TestSignIn(t *testing.T) {
	t.Parallel()
	s := setup(t)
	s.Create(t, nodetest.Pipeline("hello", nodetest.Stage("Approve", nodetest.Approval("OK"))))
	tb := newTab(t, s.URL)

	tb.open("/?q=hel")
	require.Equal(t, "/signin?next=%2F%3Fq%3Dhel", tb.path())
	tb.waitFor("heading", "Sign in to Sluice")
	tb.fill("Access key ID", nodetest.KeyID)
	tb.fill("Secret access key", nodetest.Secret)
	require.Equal(t, (200), tb.submit("button", "Sign in"))

	require.Equal(t, "/?q=hel", tb.path(), "back to the page asked for")
	tb.waitFor("heading", "Pipelines")
	tb.waitFor("link", "hello")
	require.True(t, tb.has("button", "Sign out"))

	tb.submit("button", "Sign out")
	require.Equal(t, "/signin", tb.path())
	tb.open("/")
	require.Equal(t, "/signin?next=%2F", tb.path(), "the session ended")
}

// TestSignInWrongSecret: a wrong secret is refused with a message, the key id kept.
func TestSignInWrongSecret(t *testing.T) {
	t.Parallel()
	s := setup(t)
	tb := newTab(t, s.URL)
	tb.open("/signin")
	tb.fill("Access key ID", nodetest.KeyID)
	tb.fill("Secret access key", "not-the-secret")
	require.Equal(t, (401), tb.submit("button", "Sign in"))
	require.Equal(t, 1, eval[int](tb, `document.querySelectorAll("[role=alert]").length`))
	require.Equal(t, nodetest.KeyID, eval[string](tb, `document.getElementById("access_key_id").value`))
	tb.open("/")
	require.Equal(t, "/signin?next=%2F", tb.path(), "no session")
}

// TestFormWithoutTokenRefused: a form posted without its CSRF token (as a page of another
// site would post it) changes nothing: here sign-out, whose token is taken out first.
func TestFormWithoutTokenRefused(t *testing.T) {
	t.Parallel()
	s := setup(t)
	tb := newTab(t, s.URL)
	tb.signInRoot()
	eval[bool](tb, `(document.querySelector('form[action="/signout"] input[name=csrf]').remove(), true)`)
	require.Equal(t, (403), tb.submit("button", "Sign out"))
	require.Contains(t, tb.text(), "security token is missing or stale")
	tb.open("/")
	require.Equal(t, "/", tb.path(), "still signed in")
}
