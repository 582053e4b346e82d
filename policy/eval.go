package policy

import "strings"

// Request is what a caller asks to do: an action ("codepipeline:GetPipeline") on a resource
// ARN ("*" for actions on no one resource), with the request's context keys.
type Request struct {
	Action   string
	Resource string
	Context  Context
}

// Decision is the outcome of evaluating a request.
type Decision int

// The three outcomes: no statement applies (denied by default), some Allow applies and no
// Deny, some Deny applies (it wins over any Allow).
const (
	ImplicitDeny Decision = iota
	Allowed
	ExplicitDeny
)

// Evaluate decides r against every statement of docs, a principal's whole policy set.
func Evaluate(r Request, docs ...*Document) Decision {
	d := ImplicitDeny
	for _, doc := range docs {
		if doc == nil {
			continue
		}
		for i := range doc.Statements {
			st := &doc.Statements[i]
			if !st.applies(doc.Version, r) {
				continue
			}
			if st.Effect == Deny {
				return ExplicitDeny
			}
			d = Allowed
		}
	}
	return d
}

// applies reports whether the statement covers the request: its action, its resource and
// every condition.
func (st *Statement) applies(version string, r Request) bool {
	hit := false
	for _, a := range st.Actions {
		if MatchAction(a, r.Action) {
			hit = true
			break
		}
	}
	if hit == st.NotAction {
		return false
	}
	hit = false
	for _, p := range st.Resources {
		if version == V2012 {
			var ok bool
			if p, ok = expand(p, r.Context, true); !ok {
				continue // a variable the request lacks: the pattern matches nothing
			}
		}
		if Match(p, r.Resource) {
			hit = true
			break
		}
	}
	if hit == st.NotResource {
		return false
	}
	for i := range st.Conditions {
		if !st.Conditions[i].holds(version, r.Context) {
			return false
		}
	}
	return true
}

// holds evaluates one condition against the request's context.
func (c *Condition) holds(version string, ctx Context) bool {
	vals, present := ctx.Values(c.Key)
	op := c.op
	if op.base.null {
		absent := !present || len(vals) == 0
		for _, v := range c.Values {
			if strings.EqualFold(v, "true") == absent {
				return true
			}
		}
		return false
	}
	if !present || len(vals) == 0 {
		switch {
		case op.set == forAllValues:
			return true
		case op.set == forAnyValue:
			return false
		case op.ifExists:
			return true
		}
		return op.base.negate
	}
	pols := c.policyValues(version, ctx)
	matches := func(v string) bool {
		for _, p := range pols {
			if op.base.cmp(v, p) {
				return true
			}
		}
		return false
	}
	want := !op.base.negate
	switch op.set {
	case forAllValues:
		for _, v := range vals {
			if matches(v) != want {
				return false
			}
		}
		return true
	case forAnyValue:
		for _, v := range vals {
			if matches(v) == want {
				return true
			}
		}
		return false
	}
	// A single-valued operator: positive ones hold when some value matches, negated ones
	// when none does.
	for _, v := range vals {
		if matches(v) {
			return !op.base.negate
		}
	}
	return op.base.negate
}

// policyValues are the condition's values with their variables replaced; a value naming a
// key the request lacks is dropped (it matches nothing).
func (c *Condition) policyValues(version string, ctx Context) []string {
	if version != V2012 || !c.op.base.variables {
		return c.Values // as written: a glob's * and ? are wildcards
	}
	out := make([]string, 0, len(c.Values))
	for _, v := range c.Values {
		if e, ok := expand(v, ctx, c.op.base.pattern); ok {
			out = append(out, e)
		}
	}
	return out
}
