package api

import (
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// modelErrorsFile lists, for each operation of the three AWS models Sluice serves whole
// (CodePipeline, CodeCommit, CodeBuild), the exceptions the model says it may answer:
// target prefix + operation -> exception names. It is made from the models in
// /work/shared/reference/aws-models with -update (TestModelErrorsFile), so the check below
// needs no file outside the repository.
var modelErrorsFile = filepath.Join("testdata", "models", "aws", "errors.json") // below testdata/*/, which TestGolden reads

// modelSources are the models modelErrorsFile is made of, next to the repository.
var modelSources = map[string]string{
	pipelineTarget:   "codepipeline-service-2.json",
	codecommitTarget: "aws-models/codecommit-2015-04-13-service-2.json.gz",
	codebuildTarget:  "aws-models/codebuild-2016-10-06-service-2.json.gz",
}

var modelErrors = sync.OnceValues(func() (map[string][]string, error) {
	b, err := os.ReadFile(modelErrorsFile)
	if err != nil {
		return nil, err
	}
	var m map[string][]string
	return m, json.Unmarshal(b, &m)
})

// modelErrorsOf is the model's exceptions of target ("CodeCommit_20150413.GetBranch"), and
// whether a model of modelErrorsFile has the operation.
func modelErrorsOf(tb testing.TB, target string) ([]string, bool) {
	m, err := modelErrors()
	require.NoError(tb, err)
	errs, ok := m[target]
	return errs, ok
}

// TestModelErrorsFile keeps modelErrorsFile in step with the models (or rewrites it with
// -update).
func TestModelErrorsFile(t *testing.T) {
	t.Parallel()
	want := map[string][]string{}
	for prefix, name := range modelSources {
		path := filepath.Join("..", "..", "shared", "reference", name)
		ops, err := readModelErrors(path)
		if os.IsNotExist(err) {
			t.Skipf("the API models are not next to the repository (%s)", path)
		}
		require.NoError(t, err, path)
		for op, errs := range ops {
			want[prefix+op] = errs
		}
	}
	if *update {
		b, err := json.MarshalIndent(want, "", "  ")
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(modelErrorsFile, append(b, '\n'), 0o644))
		return
	}
	got, err := modelErrors()
	require.NoError(t, err)
	require.Equal(t, want, got, "run go test ./api -run TestModelErrorsFile -update")
}

func readModelErrors(path string) (map[string][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		if r, err = gzip.NewReader(f); err != nil {
			return nil, err
		}
	}
	var model struct {
		Operations map[string]struct {
			Errors []struct {
				Shape string `json:"shape"`
			} `json:"errors"`
		} `json:"operations"`
	}
	if err := json.NewDecoder(r).Decode(&model); err != nil {
		return nil, err
	}
	out := map[string][]string{}
	for op, o := range model.Operations {
		errs := []string{}
		for _, e := range o.Errors {
			errs = append(errs, e.Shape)
		}
		sort.Strings(errs)
		out[op] = errs
	}
	return out, nil
}

// TestModelExceptions keeps the hand-written modelExceptions table in step with the models:
// every exception it lists for an operation is one the operation's model lists, and for
// CodePipeline's operations it lists them all.
func TestModelExceptions(t *testing.T) {
	t.Parallel()
	for _, ft := range fuzzTargets {
		want, ok := modelErrorsOf(t, ft.target)
		if !ok {
			continue // Sluice's own operations and those of models Sluice serves in part
		}
		_, op, _ := strings.Cut(ft.target, ".")
		listed := modelExceptions[op]
		require.Subset(t, want, listed, "%s lists exceptions its model does not", ft.target)
		if strings.HasPrefix(ft.target, pipelineTarget) {
			require.ElementsMatch(t, want, listed, ft.target)
		}
	}
}

// servedByModel are the services whose every routed operation answers only the exceptions
// of its model (and the protocol's).
var servedByModel = []string{pipelineTarget, codecommitTarget, codebuildTarget}

// TestRoutedOperationsAnswerTheirModel sends every routed operation of the three models,
// with or without a fuzz target, an empty body, the bad bodies and its fuzz body's wrong
// types: every refusal is an exception the operation's model lists (checkCall), and every
// routed operation is one its model has.
func TestRoutedOperationsAnswerTheirModel(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.seedJob(t)
	var targets []string
	for target := range h.srv.routes() {
		for _, prefix := range servedByModel {
			if strings.HasPrefix(target, prefix) {
				targets = append(targets, target)
			}
		}
	}
	sort.Strings(targets)
	for _, target := range targets {
		_, ok := modelErrorsOf(t, target)
		require.True(t, ok, "%s is routed but its model has no such operation", target)
		bodies := append([]string{"{}"}, badBodies()...)
		for _, ft := range fuzzTargets {
			if ft.target == target {
				bodies = append(append(bodies, unknownResources(ft.body)), wrongTypes(ft.body)...)
			}
		}
		bodies = append(bodies, unknownBodies[target]...)
		for _, body := range bodies {
			h.checkCall(t, target, []byte(body))
			h.restore(t)
		}
	}
}

// unknownBodies are well-formed requests naming what does not exist, for operations without
// a fuzz target.
var unknownBodies = map[string][]string{
	pipelineTarget + "PollForThirdPartyJobs":         {`{"actionTypeId":{"category":"Deploy","owner":"ThirdParty","provider":"Nobody","version":"1"},"maxBatchSize":1}`},
	pipelineTarget + "AcknowledgeThirdPartyJob":      {`{"jobId":"no-such-job","nonce":"1","clientToken":"token"}`},
	pipelineTarget + "GetThirdPartyJobDetails":       {`{"jobId":"no-such-job","clientToken":"token"}`},
	pipelineTarget + "PutThirdPartyJobSuccessResult": {`{"jobId":"no-such-job","clientToken":"token","executionDetails":{"summary":"s"}}`},
	pipelineTarget + "PutThirdPartyJobFailureResult": {`{"jobId":"no-such-job","clientToken":"token","failureDetails":{"type":"JobFailed","message":"m"}}`},
	pipelineTarget + "UpdateActionType": {`{"actionType":{"id":{"category":"Deploy","owner":"Custom","provider":"Nobody","version":"1"},` +
		`"executor":{"type":"JobWorker","configuration":{}},"inputArtifactDetails":{"minimumCount":0,"maximumCount":1},` +
		`"outputArtifactDetails":{"minimumCount":0,"maximumCount":1}}}`},
}

// unknownResources is a valid body that names what does not exist: another pipeline,
// repository and project, an execution and a job never made.
func unknownResources(body string) string {
	return strings.NewReplacer(`"fixture"`, `"never-created"`, ":fixture", ":never-created",
		`"`+fixtureRepo+`"`, `"never-created"`, `"`+fixtureProject+`"`, `"never-created"`,
		"$EXEC", "00000000-0000-4000-8000-000000000000", "$JOB", "00000000-0000-4000-8000-000000000001").Replace(body)
}

// protocolExceptions may answer any operation of target's service whatever its model says:
// genericExceptions, less ValidationException for CodeCommit and CodeBuild, whose models
// name their own exceptions for bad input (RepositoryNameRequired…, InvalidInput) and never
// this one.
func protocolExceptions(target string) []string {
	if strings.HasPrefix(target, pipelineTarget) {
		return genericExceptions
	}
	var out []string
	for _, e := range genericExceptions {
		if e != "ValidationException" {
			out = append(out, e)
		}
	}
	return out
}

// requireNoNulls fails when an answer has a null anywhere: AWS leaves absent members out.
func requireNoNulls(t *testing.T, target string, body []byte) {
	t.Helper()
	var v any
	if json.Unmarshal(body, &v) != nil {
		return
	}
	if path := nullAt("$", v); path != "" {
		t.Fatalf("%s answered null at %s: %s", target, path, body)
	}
}

// nullAt is the path of the first null in v, or "".
func nullAt(path string, v any) string {
	switch v := v.(type) {
	case nil:
		return path
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if p := nullAt(path+"."+k, v[k]); p != "" {
				return p
			}
		}
	case []any:
		for i, e := range v {
			if p := nullAt(fmt.Sprintf("%s[%d]", path, i), e); p != "" {
				return p
			}
		}
	}
	return ""
}
