package engine

import (
	"regexp"
	"sort"
	"strings"

	"sluice"
)

// varRef matches #{namespace.name}; names follow the model's namespace and variable patterns.
var varRef = regexp.MustCompile(`#\{([A-Za-z0-9@\-_]+)\.([A-Za-z0-9@\-_.]+)\}`)

// resolver substitutes variable references for one execution and remembers those it could
// not resolve.
type resolver struct {
	lookup  func(ns, name string) (string, bool)
	missing []string
}

// resolver builds the variable view of execution e (SEMANTICS §7): codepipeline.*, the
// pipeline's variables, and the output variables of every action with a namespace whose
// latest run in e succeeded.
func (d *decider) resolver(e *sluice.Execution) *resolver {
	return &resolver{lookup: func(ns, name string) (string, bool) {
		switch ns {
		case "codepipeline":
			if name == "PipelineExecutionId" {
				return e.ID, true
			}
			return "", false
		case "variables":
			v, ok := e.Variables[name]
			return v, ok
		}
		for _, st := range d.decl(e).Stages {
			for _, a := range st.Actions {
				if a.Namespace != ns {
					continue
				}
				if run := d.latestSucceeded(producer(e, st.Name), st.Name, a.Name); run != nil {
					v, ok := run.OutputVariables[name]
					return v, ok
				}
				return "", false
			}
		}
		return "", false
	}}
}

func (r *resolver) str(s string) string {
	if !strings.Contains(s, "#{") {
		return s
	}
	return varRef.ReplaceAllStringFunc(s, func(ref string) string {
		m := varRef.FindStringSubmatch(ref)
		if v, ok := r.lookup(m[1], m[2]); ok {
			return v
		}
		r.missing = append(r.missing, ref)
		return ref
	})
}

func (r *resolver) mapping(in map[string]string) map[string]string {
	if in == nil {
		return nil
	}
	out := make(map[string]string, len(in))
	keys := make([]string, 0, len(in))
	for k := range in {
		keys = append(keys, k)
	}
	sort.Strings(keys) // so missing references are reported in a stable order
	for _, k := range keys {
		out[k] = r.str(in[k])
	}
	return out
}

func (r *resolver) list(in []string) []string {
	if in == nil {
		return nil
	}
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = r.str(s)
	}
	return out
}

func (r *resolver) env(in []sluice.EnvironmentVariable) []sluice.EnvironmentVariable {
	if in == nil {
		return nil
	}
	out := make([]sluice.EnvironmentVariable, len(in))
	for i, v := range in {
		out[i] = v
		if v.Type == "" || v.Type == "PLAINTEXT" {
			out[i].Value = r.str(v.Value)
		}
	}
	return out
}

func joinQuoted(refs []string) string {
	return strings.Join(refs, ", ")
}
