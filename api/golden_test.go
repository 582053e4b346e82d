package api

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/api/sigv4"
	"sluice/catalog"
	"sluice/engine"
	"sluice/githost"
	"sluice/jobcreds"
	"sluice/jobqueue"
	"sluice/service"
	"sluice/store/sqlite"
)

var update = flag.Bool("update", false, "rewrite the golden responses in api/testdata from the actual output")

// goldenTime is every golden harness's clock: fractional seconds show on the wire.
var goldenTime = time.Date(2026, 1, 2, 3, 4, 5, 678_000_000, time.UTC)

// succeedJobs is a setup target that is no API call: it claims every queued job and reports
// it succeeded through the engine (sources with goldenRevision), as a worker would.
const succeedJobs = "test:SucceedJobs"

const goldenRevision = "0123456789abcdef0123456789abcdef01234567"

type (
	fixedClock struct{ t time.Time }
	// goldenIDs makes UUID-shaped identifiers from a counter; prefix tells sources apart.
	goldenIDs struct {
		prefix string
		n      atomic.Int64
	}
)

func (c fixedClock) Now() time.Time { return c.t }

func (c *goldenIDs) NewID() string {
	return fmt.Sprintf("%s-0000-4000-8000-%012d", c.prefix, c.n.Add(1))
}

// goldenCall is one request of a golden file: the X-Amz-Target and the JSON body.
type goldenCall struct {
	Target string          `json:"target"`
	Body   json.RawMessage `json:"body,omitempty"`
}

// goldenCase is one file api/testdata/<Op>/<case>.json: setup calls (each must answer 200),
// then the request whose status and response must match.
type goldenCase struct {
	Setup    []goldenCall    `json:"setup,omitempty"`
	Request  goldenCall      `json:"request"`
	Status   int             `json:"status"`
	Response json.RawMessage `json:"response"`
}

// newGoldenHarness is newBareHarness with a fixed clock and counter IDs everywhere, so a
// response depends only on the requests.
func newGoldenHarness(tb testing.TB) *harness {
	tb.Helper()
	dir := tb.TempDir()
	clock := fixedClock{goldenTime}
	db, err := sqlite.Open(filepath.Join(dir, "sluice.db"), sqlite.WithClock(clock))
	require.NoError(tb, err)
	tb.Cleanup(func() { _ = db.Close() })
	lb := &logBuffer{}
	log := slog.New(slog.NewTextHandler(lb, &slog.HandlerOptions{Level: slog.LevelWarn}))
	repos, err := githost.New(filepath.Join(dir, "repos"), githost.WithLogger(log))
	require.NoError(tb, err)
	eng := &engine.Engine{Store: db, Clock: clock, IDs: &goldenIDs{prefix: "eeeeeeee"}, Account: harnessAcct,
		Region: harnessRegion, Log: log}
	eng.Lookup = lookupWithCustom(eng)
	ids := &goldenIDs{prefix: "aaaaaaaa"}
	core := &service.Service{Engine: eng, Store: db, Repos: repos, IDs: ids,
		Queue:       &jobqueue.Queue{Store: db, Clock: clock, Lease: 30 * time.Second},
		ActionTypes: func(context.Context) ([]sluice.ActionType, error) { return catalog.BuiltIn(), nil }}
	srv := &Server{Service: core, Log: log, IDs: ids, Issuer: jobcreds.New(harnessSecret),
		Verifier: &sigv4.Verifier{Clock: time.Now, Lookup: func(_ context.Context, id string) (string, string, error) {
			if id != harnessKeyID {
				return "", "", sigv4.ErrUnknownKey
			}
			return harnessSecret, "arn:aws:iam::" + harnessAcct + ":root", nil
		}},
		CloneURL: func(name string) string { return githost.CloneURL("http://sluice.test", name) },
		LogURL:   harnessLogURL, HasLog: harnessHasLog,
		WebhookURL: func(token string) string { return "http://sluice.test/trigger?t=" + token + "&v=1" }}
	return &harness{srv: srv, db: db, log: lb, signer: v4.NewSigner()}
}

func TestGolden(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join("testdata", "*", "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	sort.Strings(files)
	for _, file := range files {
		name := strings.TrimSuffix(filepath.ToSlash(file)[len("testdata/"):], ".json")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			runGolden(t, file)
		})
	}
}

func runGolden(t *testing.T, file string) {
	raw, err := os.ReadFile(file)
	require.NoError(t, err)
	var gc goldenCase
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(&gc), "%s", file)
	require.NotEmpty(t, gc.Request.Target, "%s: request without target", file)
	h := newGoldenHarness(t)
	for i, s := range gc.Setup {
		if s.Target == succeedJobs {
			h.succeedJobs(t)
			continue
		}
		r := h.call(t, s.Target, compactBody(t, s.Body))
		require.Equal(t, 200, r.status, "setup %d (%s): %s", i, s.Target, r.body)
	}
	r := h.call(t, gc.Request.Target, compactBody(t, gc.Request.Body))
	if *update {
		gc.Status = r.status
		var out bytes.Buffer
		require.NoError(t, json.Indent(&out, bytes.TrimSpace(r.body), "  ", "  "), "response is not JSON: %s", r.body)
		gc.Response = out.Bytes()
		data, err := json.MarshalIndent(&gc, "", "  ")
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(file, append(data, '\n'), 0o644))
		return
	}
	require.Equal(t, gc.Status, r.status, "status; body: %s", r.body)
	requireNoNulls(t, gc.Request.Target, r.body)
	requireSameJSON(t, gc.Response, r.body)
	require.Empty(t, h.log.String(), "the server logged a warning or error")
}

// compactBody is a request body as the SDK sends it (an absent body is {}).
func compactBody(tb testing.TB, body json.RawMessage) []byte {
	tb.Helper()
	if len(body) == 0 {
		return []byte("{}")
	}
	var b bytes.Buffer
	require.NoError(tb, json.Compact(&b, body))
	return b.Bytes()
}

// succeedJobs reports every queued job succeeded, sources at goldenRevision.
func (h *harness) succeedJobs(tb testing.TB) {
	tb.Helper()
	ctx := context.Background()
	jobs, err := h.db.ClaimJobs(ctx, sluice.ClaimParams{Worker: "golden", Limit: 1000, Now: goldenTime,
		LeaseFor: time.Hour, Acknowledge: true})
	require.NoError(tb, err)
	require.NotEmpty(tb, jobs, "no queued job to succeed")
	for _, j := range jobs {
		require.NoError(tb, h.srv.Service.Engine.JobResult(ctx, sluice.JobResult{JobID: j.ID, Nonce: j.Nonce, Success: true,
			Revision: &sluice.Revision{RevisionID: goldenRevision, Created: goldenTime}}))
	}
}

// requireSameJSON compares want and got as decoded JSON and on a mismatch lists the paths
// that differ.
func requireSameJSON(tb testing.TB, want, got []byte) {
	tb.Helper()
	var w, g any
	require.NoError(tb, json.Unmarshal(want, &w), "golden response is not JSON")
	require.NoError(tb, json.Unmarshal(got, &g), "response is not JSON: %s", got)
	if reflect.DeepEqual(w, g) {
		return
	}
	var diffs []string
	jsonDiff("$", w, g, &diffs)
	tb.Fatalf("response differs from the golden file (run with -update to accept):\n%s\nactual: %s",
		strings.Join(diffs, "\n"), got)
}

// unionKeys is the keys of w and g, sorted, each once.
func unionKeys(w, g map[string]any) []string {
	keys := make([]string, 0, len(w)+len(g))
	for k := range w {
		keys = append(keys, k)
	}
	for k := range g {
		if _, ok := w[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

func jsonDiff(path string, want, got any, out *[]string) {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			break
		}
		for _, k := range unionKeys(w, g) {
			wv, inW := w[k]
			gv, inG := g[k]
			switch {
			case !inG:
				*out = append(*out, fmt.Sprintf("%s.%s: missing (want %s)", path, k, jsonText(wv)))
			case !inW:
				*out = append(*out, fmt.Sprintf("%s.%s: unexpected %s", path, k, jsonText(gv)))
			default:
				jsonDiff(path+"."+k, wv, gv, out)
			}
		}
		return
	case []any:
		g, ok := got.([]any)
		if !ok {
			break
		}
		if len(w) != len(g) {
			*out = append(*out, fmt.Sprintf("%s: %d elements, want %d", path, len(g), len(w)))
		}
		for i := 0; i < len(w) && i < len(g); i++ {
			jsonDiff(fmt.Sprintf("%s[%d]", path, i), w[i], g[i], out)
		}
		return
	}
	if !reflect.DeepEqual(want, got) {
		*out = append(*out, fmt.Sprintf("%s: got %s, want %s", path, jsonText(got), jsonText(want)))
	}
}

func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

func TestJSONDiff(t *testing.T) {
	t.Parallel()
	var w, g any
	require.NoError(t, json.Unmarshal([]byte(`{"a":1,"b":[1,2],"c":{"d":"x"},"e":true}`), &w))
	require.NoError(t, json.Unmarshal([]byte(`{"a":2,"b":[1],"c":{"d":"y","f":null}}`), &g))
	var diffs []string
	jsonDiff("$", w, g, &diffs)
	require.Equal(t, []string{
		"$.a: got 2, want 1",
		"$.b: 1 elements, want 2",
		`$.c.d: got "y", want "x"`,
		"$.c.f: unexpected null",
		"$.e: missing (want true)",
	}, diffs)
}
