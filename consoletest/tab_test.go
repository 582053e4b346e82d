package consoletest_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/cdproto/accessibility"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"sluice/node/nodetest"
)

// tab is one browser tab of a test, in a browser context of its own, on one server.
type tab struct {
	t    *testing.T
	ctx  context.Context
	base string // the server's URL
}

// tabTimeout bounds everything a tab does: only a hang reaches it.
const tabTimeout = 5 * time.Minute

// newTab opens a tab in a fresh browser context (no cookies) for the server at base.
func newTab(t *testing.T, base string) *tab {
	t.Helper()
	needBrowser(t)
	ctx, cancel := chromedp.NewContext(browser.ctx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	ctx, cancelTimeout := context.WithTimeout(ctx, tabTimeout)
	t.Cleanup(cancelTimeout)
	tb := &tab{t: t, ctx: ctx, base: base}
	tb.do(chromedp.EmulateViewport(1280, 900))
	return tb
}

// do runs actions in the tab, failing the test on an error.
func (tb *tab) do(actions ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	require.NoError(tb.t, chromedp.Do(tb.ctx, actions...))
}

// eval evaluates a JavaScript expression in the page.
func eval[T any](tb *tab, expr string) T {
	tb.t.Helper()
	v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[T](expr))
	require.NoError(tb.t, err, "evaluate %s", expr)
	return v
}

// open navigates to path on the server and waits for the page to load.
func (tb *tab) open(path string) {
	tb.t.Helper()
	tb.do(chromedp.Navigate(tb.base + path))
}

// path is the path (and query) of the page shown.
func (tb *tab) path() string {
	tb.t.Helper()
	return eval[string](tb, "location.pathname + location.search")
}

// text is the text the page shows.
func (tb *tab) text() string {
	tb.t.Helper()
	return eval[string](tb, "document.body.innerText")
}

// submit clicks the control of this role and name (a form's button, a link) and waits
// for the page it leads to, returning that page's HTTP status.
func (tb *tab) submit(role, name string) int {
	tb.t.Helper()
	return tb.navigate(name, click(role, name))
}

// navigate runs an action that leads to another page (a click, a key) and waits for that
// page, returning its HTTP status.
func (tb *tab) navigate(what string, a chromedp.Action[chromedp.Void]) int {
	tb.t.Helper()
	eval[bool](tb, `window.sluiceTestOld = true`)
	tb.do(a)
	tb.wait("the page after "+what, func() bool {
		ok, err := chromedp.Run(tb.ctx, chromedp.Evaluate[bool](`!window.sluiceTestOld && document.readyState === "complete"`))
		return err == nil && ok
	})
	return eval[int](tb, `performance.getEntriesByType("navigation")[0].responseStatus`)
}

// fill types value into the text field labelled label, replacing what it holds.
func (tb *tab) fill(label, value string) {
	tb.t.Helper()
	tb.do(chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		n, err := findOne(ctx, t, "textbox", label)
		if err != nil {
			return err
		}
		if _, err := cdp.Call(ctx, t, dom.Focus, dom.FocusParams{BackendNodeID: n}); err != nil {
			return err
		}
		if _, err := cdp.Call(ctx, t, runtime.Evaluate, runtime.EvaluateParams{Expression: "document.activeElement.select()"}); err != nil {
			return err
		}
		_, err = cdp.Call(ctx, t, input.InsertText, input.InsertTextParams{Text: value})
		return err
	}))
}

// waitFor waits until the page shows an element of this role and accessible name.
func (tb *tab) waitFor(role, name string) {
	tb.t.Helper()
	tb.wait(role+" "+name, func() bool { return tb.count(role, name) > 0 })
}

// has says whether the page shows, now, an element of this role and accessible name.
func (tb *tab) has(role, name string) bool {
	tb.t.Helper()
	return tb.count(role, name) > 0
}

// count counts the elements of this role and accessible name the page shows now.
func (tb *tab) count(role, name string) int {
	tb.t.Helper()
	n, err := chromedp.Run(tb.ctx, func(ctx context.Context, t *chromedp.Target) (int, error) {
		ids, err := find(ctx, t, role, name)
		return len(ids), err
	})
	if err != nil && tb.ctx.Err() == nil {
		return 0 // the page is navigating
	}
	require.NoError(tb.t, err)
	return n
}

// wait waits for cond, checked as the page may change.
func (tb *tab) wait(what string, cond func() bool) {
	tb.t.Helper()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-tb.ctx.Done():
			tb.t.Fatalf("waiting for %s: %v", what, tb.ctx.Err())
		case <-tick.C:
		}
	}
}

// click clicks the middle of the element of this role and name with the mouse.
func click(role, name string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		n, err := findOne(ctx, t, role, name)
		if err != nil {
			return err
		}
		if _, err := cdp.Call(ctx, t, dom.ScrollIntoViewIfNeeded, dom.ScrollIntoViewIfNeededParams{BackendNodeID: n}); err != nil {
			return err
		}
		q, err := cdp.Call(ctx, t, dom.GetContentQuads, dom.GetContentQuadsParams{BackendNodeID: n})
		if err != nil || len(q.Quads) == 0 || len(q.Quads[0]) != 8 {
			return fmt.Errorf("the %s %q has no box on the page (%v)", role, name, err)
		}
		b := q.Quads[0]
		x, y := (b[0]+b[2]+b[4]+b[6])/4, (b[1]+b[3]+b[5]+b[7])/4
		for _, typ := range []input.DispatchMouseEventType{input.DispatchMouseEventTypeMousePressed, input.DispatchMouseEventTypeMouseReleased} {
			if _, err := cdp.Call(ctx, t, input.DispatchMouseEvent, input.DispatchMouseEventParams{
				Type: typ, X: x, Y: y, Button: input.MouseButtonLeft, Buttons: 1, ClickCount: 1}); err != nil {
				return err
			}
		}
		return nil
	})
}

// find returns the elements of the page that are in its accessibility tree with this role
// and accessible name: it selects elements as a person using a screen reader finds them
// (button, link, textbox, heading, ... by their label, text or aria-label), the way the
// page presents them, not by how it is styled.
func find(ctx context.Context, t *chromedp.Target, role, name string) ([]cdp.BackendNodeID, error) {
	doc, err := cdp.Call(ctx, t, runtime.Evaluate, runtime.EvaluateParams{Expression: "document"})
	if err != nil {
		return nil, err
	}
	res, err := cdp.Call(ctx, t, accessibility.QueryAXTree, accessibility.QueryAXTreeParams{ObjectID: doc.Result.ObjectID, Role: role, AccessibleName: name})
	if err != nil {
		return nil, err
	}
	var out []cdp.BackendNodeID
	for _, n := range res.Nodes {
		if !n.Ignored && n.BackendDOMNodeID != 0 {
			out = append(out, n.BackendDOMNodeID)
		}
	}
	return out, nil
}

// findOne is find for a control there must be exactly one of.
func findOne(ctx context.Context, t *chromedp.Target, role, name string) (cdp.BackendNodeID, error) {
	ids, err := find(ctx, t, role, name)
	if err != nil {
		return 0, err
	}
	if len(ids) != 1 {
		return 0, fmt.Errorf("the page has %d of the %s %q, want one", len(ids), role, name)
	}
	return ids[0], nil
}

// signIn signs in on the sign-in page with an access key, as a person types it.
func (tb *tab) signIn(keyID, secret string) {
	tb.t.Helper()
	tb.open("/signin")
	tb.fill("Access key ID", keyID)
	tb.fill("Secret access key", secret)
	require.Equal(tb.t, 200, tb.submit("button", "Sign in"))
}

// signInRoot signs in with the server's root key.
func (tb *tab) signInRoot() { tb.signIn(nodetest.KeyID, nodetest.Secret) }

// scheme emulates the system's colour preference ("light" or "dark").
func (tb *tab) scheme(s string) {
	tb.t.Helper()
	tb.do(chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: s}}})
		return err
	}))
}

// screenshot saves the whole page at width pixels wide as docs/screenshots/name.png when
// SLUICE_SCREENSHOTS=1 (so an ordinary run leaves the repository alone), and checks either
// way that nothing is wider than the screen: a phone never scrolls sideways.
func (tb *tab) screenshot(name string, width int64) {
	tb.t.Helper()
	tb.do(chromedp.EmulateViewport(width, 900))
	require.LessOrEqual(tb.t, eval[int](tb, "document.documentElement.scrollWidth"), int(width),
		"%s: the page is wider than a %d px screen", name, width)
	if os.Getenv("SLUICE_SCREENSHOTS") != "1" {
		return
	}
	png, err := chromedp.Run(tb.ctx, chromedp.FullScreenshot(100))
	require.NoError(tb.t, err)
	dir := filepath.Join(nodetest.RepoRoot(tb.t), "docs", "screenshots")
	require.NoError(tb.t, os.MkdirAll(dir, 0o755))
	require.NoError(tb.t, os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644))
}
