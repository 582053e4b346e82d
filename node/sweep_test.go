package node_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice/node/nodetest"
)

// TestSweep makes every operation of the CodePipeline model succeed for real in one
// scenario (sweep_scenario_test.go), through aws-sdk-go-v2, boto3 and the AWS CLI, each
// against its own server, and checks each raw answer against the operation's output shape
// in the model: required members present, no member outside the shape, no nulls, JSON
// types and enums right. Each client's table of operations is logged.
func TestSweep(t *testing.T) {
	t.Parallel()
	for _, client := range []struct {
		name   string
		driver func(*testing.T, string) sweepDriver
	}{{"SDK", newSDKDriver}, {"Boto3", newBoto3Driver}, {"AWSCLI", newCLIDriver}} {
		t.Run(client.name, func(t *testing.T) {
			t.Parallel()
			c := setupConformance(t)
			rec := newRecorder(t, c.URL)
			s := &sweep{t: t, c: c, client: client.name, d: client.driver(t, rec.URL), rec: rec, model: modelOf(t), results: map[string]*opResult{}}
			t.Cleanup(s.report)
			s.run()
		})
	}
}

// obj is a JSON object in the model's member names, as inputs are written and answers read.
type obj = map[string]any

// sweep is one client's run of the scenario and what each operation answered.
type sweep struct {
	t       *testing.T
	c       *conformance
	client  string
	d       sweepDriver
	rec     *recorder
	model   *sweepModel
	results map[string]*opResult

	gate    nodetest.Gate // holds Approve's entry condition
	partner partnerClient // the Probe partner's client
	arn     string        // the pipeline's
}

// opResult is what the calls of one operation came to.
type opResult struct {
	calls    int
	problems []string
}

// call makes one call through the client and returns the raw answer decoded; an error
// ends the scenario (what follows depends on it), a departure from the model is recorded.
func (s *sweep) call(op string, in obj) obj {
	s.t.Helper()
	body, err := json.Marshal(in)
	require.NoError(s.t, err)
	r := s.results[op]
	if r == nil {
		r = &opResult{}
		s.results[op] = r
	}
	r.calls++
	s.rec.take(op) // an earlier call's answer
	problems, err := s.d.call(op, body)
	if err != nil {
		r.problems = append(r.problems, "error: "+err.Error())
		s.t.Fatalf("%s through %s: %v", op, s.client, err)
	}
	raw, ok := s.rec.take(op)
	if !ok {
		s.t.Fatalf("%s through %s: no answer passed the proxy", op, s.client)
	}
	problems = append(problems, s.model.outputProblems(op, raw)...)
	for _, p := range problems {
		if !slices.Contains(r.problems, p) {
			r.problems = append(r.problems, p)
		}
	}
	var out obj
	if len(raw) > 0 {
		require.NoError(s.t, json.Unmarshal(raw, &out), "%s answered %s", op, raw)
	}
	return out
}

// report logs the client's table of the model's operations and fails the test for each
// operation not called or not answered as its model says.
func (s *sweep) report() {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: the model's operations\n| operation | calls | result |\n|---|---|---|\n", s.client)
	var failed []string
	for _, op := range s.model.operations() {
		r := s.results[op]
		switch {
		case r == nil:
			failed = append(failed, op)
			fmt.Fprintf(&b, "| %s | 0 | FAIL: not called |\n", op)
		case len(r.problems) > 0:
			failed = append(failed, op)
			fmt.Fprintf(&b, "| %s | %d | FAIL: %s |\n", op, r.calls, strings.Join(r.problems, "; "))
		default:
			fmt.Fprintf(&b, "| %s | %d | pass |\n", op, r.calls)
		}
	}
	fmt.Fprintf(&b, "%d of %d operations pass through %s", len(s.model.Operations)-len(failed), len(s.model.Operations), s.client)
	s.t.Log(b.String())
	if len(failed) > 0 {
		s.t.Errorf("%s: %d operations failed: %s", s.client, len(failed), strings.Join(failed, ", "))
	}
}

// member follows a path of member names and list indexes through a decoded answer (nil where
// it leads nowhere).
func member(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, _ := v.(obj)
			v = m[k]
		case int:
			l, _ := v.([]any)
			if k >= len(l) {
				return nil
			}
			v = l[k]
		}
	}
	return v
}

// memberStr is the string at path ("" if none).
func memberStr(v any, path ...any) string {
	s, _ := member(v, path...).(string)
	return s
}

// memberWhere is the first object of the list at path whose member key is value.
func memberWhere(v any, key, value string, path ...any) obj {
	l, _ := member(v, path...).([]any)
	for _, e := range l {
		if o, _ := e.(obj); memberStr(o, key) == value {
			return o
		}
	}
	return nil
}
