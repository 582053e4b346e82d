package node_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// sweepModel is what the sweep reads of the CodePipeline model (the one validate embeds):
// each operation's output shape and every shape's members, required members and enum.
type sweepModel struct {
	Operations map[string]struct{ Output struct{ Shape string } }
	Shapes     map[string]*sweepShape
}

type sweepShape struct {
	Type     string
	Members  map[string]struct{ Shape string }
	Required []string
	Enum     []string
	Member   struct{ Shape string } // of a list
	Key      struct{ Shape string } // of a map
	Value    struct{ Shape string } // of a map
}

var loadSweepModel = sync.OnceValues(func() (*sweepModel, error) {
	b, err := os.ReadFile(filepath.Join("..", "validate", "model", "codepipeline-service-2.json"))
	if err != nil {
		return nil, err
	}
	var m sweepModel
	return &m, json.Unmarshal(b, &m)
})

func modelOf(t *testing.T) *sweepModel {
	t.Helper()
	m, err := loadSweepModel()
	require.NoError(t, err)
	return m
}

// operations are the model's operations in name order.
func (m *sweepModel) operations() []string {
	var ops []string
	for op := range m.Operations {
		ops = append(ops, op)
	}
	sort.Strings(ops)
	return ops
}

// outputProblems lists how a raw response body of op departs from the model's output shape:
// a member the shape does not have, a required member missing, a null, a value of the
// wrong JSON type or outside its enum. An operation without output answers an empty object
// (or nothing).
func (m *sweepModel) outputProblems(op string, raw []byte) []string {
	o, ok := m.Operations[op]
	if !ok {
		return []string{"the model has no operation " + op}
	}
	if o.Output.Shape == "" {
		if t := bytes.TrimSpace(raw); len(t) != 0 && !bytes.Equal(t, []byte("{}")) {
			return []string{fmt.Sprintf("no output in the model, answered %s", t)}
		}
		return nil
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return []string{fmt.Sprintf("the body is not JSON: %v", err)}
	}
	var problems []string
	m.walk(o.Output.Shape, v, op+"Output", &problems)
	return problems
}

func (m *sweepModel) walk(shape string, v any, path string, problems *[]string) {
	s := m.Shapes[shape]
	bad := func(format string, args ...any) {
		*problems = append(*problems, path+": "+fmt.Sprintf(format, args...))
	}
	if v == nil {
		bad("null (a member without a value is left out)")
		return
	}
	switch s.Type {
	case "structure":
		obj, ok := v.(map[string]any)
		if !ok {
			bad("%T, want an object (%s)", v, shape)
			return
		}
		for _, r := range s.Required {
			if _, ok := obj[r]; !ok {
				bad("required member %s missing", r)
			}
		}
		for k, mv := range obj {
			mem, ok := s.Members[k]
			if !ok {
				bad("member %s is not in %s", k, shape)
				continue
			}
			m.walk(mem.Shape, mv, path+"."+k, problems)
		}
	case "list":
		list, ok := v.([]any)
		if !ok {
			bad("%T, want an array (%s)", v, shape)
			return
		}
		for i, e := range list {
			m.walk(s.Member.Shape, e, fmt.Sprintf("%s[%d]", path, i), problems)
		}
	case "map":
		obj, ok := v.(map[string]any)
		if !ok {
			bad("%T, want an object (%s)", v, shape)
			return
		}
		for k, e := range obj {
			m.walk(s.Value.Shape, e, path+"."+k, problems)
		}
	case "string":
		str, ok := v.(string)
		switch {
		case !ok:
			bad("%T, want a string (%s)", v, shape)
		case len(s.Enum) > 0 && !slices.Contains(s.Enum, str):
			bad("%q is not one of %s's %v", str, shape, s.Enum)
		}
	case "integer", "long":
		n, ok := v.(json.Number)
		if _, err := n.Int64(); !ok || err != nil {
			bad("%v, want an integer (%s)", v, shape)
		}
	case "timestamp": // JSON 1.1 sends epoch seconds
		n, ok := v.(json.Number)
		if f, err := n.Float64(); !ok || err != nil || math.IsNaN(f) {
			bad("%v, want epoch seconds (%s)", v, shape)
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			bad("%T, want a boolean (%s)", v, shape)
		}
	default:
		bad("the sweep does not know shape type %s", s.Type)
	}
}

// TestSweepCheckers shows both checks of an answer against the model (the Go one the sweep
// runs on every client's raw answers, and boto3_sweep.py's on botocore's model) catching
// each kind of departure, and passing a right answer.
func TestSweepCheckers(t *testing.T) {
	t.Parallel()
	cases := []struct {
		op, answer string
		want       []string // a substring of each problem, in any order
	}{
		{"PutApprovalResult", `{"approvedAt":1796637600.5}`, nil},
		{"DeletePipeline", `{}`, nil},
		{"DeletePipeline", `{"deleted":true}`, []string{"no output in the model"}},
		{"RollbackStage", `{}`, []string{"required member pipelineExecutionId missing"}},
		{"GetPipelineExecution", `{"pipelineExecution":{"status":"Sideways","extra":1}}`,
			[]string{`"Sideways" is not one of`, "member extra is not in PipelineExecution"}},
		{"ListPipelines", `{"pipelines":null}`, []string{"ListPipelinesOutput.pipelines: null"}},
		{"GetPipelineState", `{"pipelineVersion":"1","created":"yesterday","stageStates":[{"stageName":7}]}`,
			[]string{"pipelineVersion", "created", "stageStates[0].stageName"}},
		{"PollForJobs", `{"jobs":[{"data":{"actionConfiguration":{"configuration":{"ProjectName":5}}}}]}`,
			[]string{"jobs[0].data.actionConfiguration.configuration.ProjectName"}},
	}
	requireProblems := func(t *testing.T, want, got []string) {
		t.Helper()
		require.Len(t, got, len(want), "%q", got)
		for _, w := range want {
			require.True(t, slices.ContainsFunc(got, func(p string) bool { return strings.Contains(p, w) }), "no problem says %q: %q", w, got)
		}
	}
	t.Run("Go", func(t *testing.T) {
		t.Parallel()
		for _, c := range cases {
			requireProblems(t, c.want, modelOf(t).outputProblems(c.op, []byte(c.answer)))
		}
	})
	t.Run("Boto3", func(t *testing.T) {
		t.Parallel()
		d := newBoto3Driver(t, "http://127.0.0.1:1").(*boto3Driver) // nothing is called
		for _, c := range cases {
			got, err := d.check(c.op, c.answer)
			require.NoError(t, err)
			requireProblems(t, c.want, got)
		}
	})
}
