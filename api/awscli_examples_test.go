package api

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice"
)

// cliExample is one file of testdata/awscli/codepipeline (see its README).
type cliExample struct {
	Input  json.RawMessage `json:"input"`
	Output json.RawMessage `json:"output"`
}

func readCLIExample(t *testing.T, name string) cliExample {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "awscli", "codepipeline", name+".json"))
	require.NoError(t, err)
	var ex cliExample
	require.NoError(t, json.Unmarshal(b, &ex))
	return ex
}

// exampleLeeway says, for the path of a member (list indexes written []), how it may differ
// from an example: "value" where only the server can choose the value (the type must match),
// "newer" where the model gained the member after the example was written (Sluice may write
// it, the example does not have it), "log" where Sluice links the log it keeps of every job
// it runs (written even where the example's AWS action has none; its value is Sluice's).
var exampleLeeway = map[string]string{
	// GetPipeline: metadata, executionMode and pipelineType came with later models (V2
	// pipelines, 2023); the example predates them.
	"$.metadata":               "newer",
	"$.pipeline.executionMode": "newer",
	"$.pipeline.pipelineType":  "newer",
	// GetPipelineState: the times are the server's; entityUrl and externalExecutionUrl are
	// Sluice's own links where AWS links its console.
	"$.created": "value",
	"$.updated": "value",
	"$.stageStates[].actionStates[].entityUrl":                            "value",
	"$.stageStates[].actionStates[].latestExecution.lastStatusChange":     "value",
	"$.stageStates[].actionStates[].latestExecution.externalExecutionUrl": "log",
	// The model's later members of a stage's and an action's state: the stage's latest
	// execution (2016), an action execution's id (2020), and the source revision that the
	// source action produced (currentRevision, revisionUrl), which the S3 example leaves out.
	"$.stageStates[].latestExecution":                                  "newer",
	"$.stageStates[].actionStates[].latestExecution.actionExecutionId": "newer",
	"$.stageStates[].actionStates[].currentRevision":                   "newer",
	"$.stageStates[].actionStates[].revisionUrl":                       "newer",
}

var listIndex = regexp.MustCompile(`\[\d+\]`)

// requireLikeExample compares got with the example want member by member (exampleLeeway).
func requireLikeExample(t *testing.T, want, got []byte) {
	t.Helper()
	var w, g any
	require.NoError(t, json.Unmarshal(want, &w))
	require.NoError(t, json.Unmarshal(got, &g), "%s", got)
	var diffs []string
	exampleDiff("$", w, g, &diffs)
	require.Empty(t, diffs, "the answer differs from the AWS CLI's example:\n%s\nanswer: %s", strings.Join(diffs, "\n"), got)
}

func exampleDiff(path string, want, got any, out *[]string) {
	leeway := exampleLeeway[listIndex.ReplaceAllString(path, "[]")]
	if leeway == "value" || leeway == "log" {
		if fmt.Sprintf("%T", want) != fmt.Sprintf("%T", got) {
			*out = append(*out, fmt.Sprintf("%s: got %s, want a value like %s", path, jsonText(got), jsonText(want)))
		}
		return
	}
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			break
		}
		for _, k := range unionKeys(w, g) {
			wv, inW := w[k]
			gv, inG := g[k]
			p := path + "." + k
			switch {
			case k == "__type": // 2015's serialization: the SDKs ignore it (README)
			case !inG:
				*out = append(*out, fmt.Sprintf("%s: missing (want %s)", p, jsonText(wv)))
			case !inW && !slices.Contains([]string{"newer", "log"}, exampleLeeway[listIndex.ReplaceAllString(p, "[]")]):
				*out = append(*out, fmt.Sprintf("%s: not in the example: %s", p, jsonText(gv)))
			case inW:
				exampleDiff(p, wv, gv, out)
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
			exampleDiff(fmt.Sprintf("%s[%d]", path, i), w[i], g[i], out)
		}
		return
	}
	if jsonText(want) != jsonText(got) {
		*out = append(*out, fmt.Sprintf("%s: got %s, want %s", path, jsonText(got), jsonText(want)))
	}
}

// exampleCall calls op and requires it to succeed.
func (h *harness) exampleCall(t *testing.T, op string, body []byte) []byte {
	t.Helper()
	r := h.call(t, pipelineTarget+op, body)
	require.Equal(t, 200, r.status, "%s: %s", op, r.body)
	return r.body
}

// createRequest is a CreatePipeline request of an example's pipeline member.
func createRequest(t *testing.T, output json.RawMessage) []byte {
	t.Helper()
	var ex struct {
		Pipeline json.RawMessage `json:"pipeline"`
	}
	require.NoError(t, json.Unmarshal(output, &ex))
	b, err := json.Marshal(ex)
	require.NoError(t, err)
	return b
}

func TestAWSCLIExamples(t *testing.T) {
	t.Parallel()
	t.Run("GetPipeline", func(t *testing.T) {
		t.Parallel()
		h := newGoldenHarness(t)
		ex := readCLIExample(t, "get-pipeline")
		h.exampleCall(t, "CreatePipeline", createRequest(t, ex.Output))
		requireLikeExample(t, ex.Output, h.exampleCall(t, "GetPipeline", []byte(`{"name":"MyFirstPipeline"}`)))
	})
	t.Run("CreatePipeline", func(t *testing.T) {
		t.Parallel()
		h := newGoldenHarness(t)
		ex := readCLIExample(t, "create-pipeline")
		requireLikeExample(t, ex.Input, h.exampleCall(t, "CreatePipeline", ex.Input))
	})
	t.Run("UpdatePipeline", func(t *testing.T) {
		t.Parallel()
		h := newGoldenHarness(t)
		ex := readCLIExample(t, "update-pipeline")
		first := createRequest(t, readCLIExample(t, "get-pipeline").Output)
		h.exampleCall(t, "CreatePipeline", first)
		h.exampleCall(t, "UpdatePipeline", first) // the example's answer is the third version
		requireLikeExample(t, ex.Output, h.exampleCall(t, "UpdatePipeline", ex.Input))
	})
	t.Run("GetPipelineUpdatesAsIs", func(t *testing.T) {
		t.Parallel()
		// What GetPipeline answers (empty artifact lists and configuration included), sent
		// back whole by UpdatePipeline, is taken and answered the same, version aside.
		h := newHarness(t)
		got := h.exampleCall(t, "GetPipeline", []byte(`{"name":"`+fixturePipeline+`"}`))
		updated := h.exampleCall(t, "UpdatePipeline", createRequest(t, got))
		var before, after struct {
			Pipeline map[string]any `json:"pipeline"`
		}
		require.NoError(t, json.Unmarshal(got, &before))
		require.NoError(t, json.Unmarshal(updated, &after))
		require.EqualValues(t, 2, after.Pipeline["version"])
		delete(before.Pipeline, "version")
		delete(after.Pipeline, "version")
		require.Equal(t, before.Pipeline, after.Pipeline)
	})
	t.Run("GetPipelineState", func(t *testing.T) {
		t.Parallel()
		h := newGoldenHarness(t)
		ex := readCLIExample(t, "get-pipeline-state")
		h.exampleCall(t, "CreatePipeline", createRequest(t, readCLIExample(t, "get-pipeline").Output))
		h.endJobsAsExample(t, "Source")
		h.endJobsAsExample(t, "Beta")
		requireLikeExample(t, ex.Output, h.exampleCall(t, "GetPipelineState", []byte(`{"name":"MyFirstPipeline"}`)))
	})
}

// endJobsAsExample succeeds the queued jobs of stage with the results the get-pipeline-state
// example shows: a source revision, and the deployment d-EXAMPLE.
func (h *harness) endJobsAsExample(t *testing.T, stage string) {
	t.Helper()
	ctx := context.Background()
	jobs, err := h.db.ClaimJobs(ctx, sluice.ClaimParams{Worker: "example", Limit: 10, Now: goldenTime,
		LeaseFor: time.Hour, Acknowledge: true})
	require.NoError(t, err)
	require.Len(t, jobs, 1)
	j := jobs[0]
	require.Equal(t, stage, j.StageName)
	res := sluice.JobResult{JobID: j.ID, Nonce: j.Nonce, Success: true}
	if stage == "Source" {
		res.Revision = &sluice.Revision{RevisionID: goldenRevision, Created: goldenTime}
	} else {
		res.ExternalID, res.Summary = "d-EXAMPLE", "Deployment Succeeded"
	}
	require.NoError(t, h.srv.Service.Engine.JobResult(ctx, res))
}
