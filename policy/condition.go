package policy

import (
	"encoding/json"
	"strconv"
	"strings"
)

// setQualifier is how a condition treats a key with several values (aws:TagKeys).
type setQualifier int

const (
	single setQualifier = iota
	forAnyValue
	forAllValues
)

// operator is a parsed condition operator: a base comparison, maybe negated, maybe
// IfExists, maybe qualified for multivalued keys.
type operator struct {
	set      setQualifier
	ifExists bool
	base     *baseOp
}

// baseOp is one comparison. Negated operators hold when the request's value matches none
// of the policy's values; the others when it matches any.
type baseOp struct {
	negate    bool
	variables bool                          // policy values may hold ${...}
	pattern   bool                          // expanded values are glob patterns (escape literal * ?)
	valid     func(policyValue string) bool // a policy value it can compare with
	cmp       func(req, pol string) bool
	null      bool // the Null operator
}

// parseConditions reads {"Operator": {"key": value or [values]}}.
func parseConditions(raw json.RawMessage, i int) ([]Condition, error) {
	var ops map[string]map[string]json.RawMessage
	if err := json.Unmarshal(raw, &ops); err != nil || ops == nil {
		return nil, malformed("%s Statement[%d].Condition must be an object of operators, each an object of keys.", syntax, i)
	}
	var out []Condition
	for _, name := range sortedKeys(ops) {
		op, err := parseOperator(name)
		if err != nil {
			return nil, err
		}
		for _, key := range sortedKeys(ops[name]) {
			if !hasVendor(key) {
				return nil, malformed("Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc. (condition key %q)", key)
			}
			values, ok := conditionValues(ops[name][key])
			if !ok {
				return nil, malformed("%s Statement[%d].Condition.%s.%s must be a string, number, boolean or an array of them.", syntax, i, name, key)
			}
			for _, v := range values {
				if !op.base.valid(v) {
					return nil, malformed("%s Condition %s cannot compare %q (key %s).", syntax, name, v, key)
				}
			}
			out = append(out, Condition{Operator: name, Key: key, Values: values, op: op})
		}
	}
	return out, nil
}

// parseOperator splits "ForAllValues:StringLikeIfExists" and refuses operators Sluice does
// not evaluate.
func parseOperator(name string) (operator, error) {
	var op operator
	rest := name
	if q, r, ok := strings.Cut(name, ":"); ok {
		switch q {
		case "ForAnyValue":
			op.set = forAnyValue
		case "ForAllValues":
			op.set = forAllValues
		default:
			return op, malformed("%s Condition operator %q is not supported: the only qualifiers are ForAnyValue: and ForAllValues:.", syntax, name)
		}
		rest = r
	}
	base, ok := baseOps[rest]
	if !ok && strings.HasSuffix(rest, "IfExists") {
		base, ok = baseOps[strings.TrimSuffix(rest, "IfExists")]
		op.ifExists = true
		if ok && base.null {
			return op, malformed("%s Condition operator %q is not supported: Null has no IfExists form.", syntax, name)
		}
	}
	if !ok {
		return op, malformed("%s Condition operator %q is not supported.", syntax, name)
	}
	op.base = base
	return op, nil
}

// conditionValues reads a condition's values as strings: JSON numbers and booleans as written.
func conditionValues(raw json.RawMessage) ([]string, bool) {
	var list []json.RawMessage
	if err := json.Unmarshal(raw, &list); err != nil {
		list = []json.RawMessage{raw}
	}
	if len(list) == 0 {
		return nil, false
	}
	out := make([]string, 0, len(list))
	for _, r := range list {
		var s string
		if err := json.Unmarshal(r, &s); err == nil {
			out = append(out, s)
			continue
		}
		var n json.Number
		if err := json.Unmarshal(r, &n); err == nil {
			out = append(out, n.String())
			continue
		}
		var b bool
		if err := json.Unmarshal(r, &b); err != nil {
			return nil, false
		}
		out = append(out, strconv.FormatBool(b))
	}
	return out, true
}
