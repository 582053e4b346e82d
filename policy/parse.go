package policy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

var sprintf = fmt.Sprintf

// syntax is AWS's text for bad JSON, an unknown element or a member of the wrong type.
const syntax = "Syntax errors in policy."

// Parse reads and validates a policy document as IAM does for identity policies. Its error
// is a *MalformedError. It never panics, whatever b holds, and its work is linear in len(b).
func Parse(b []byte) (*Document, error) {
	var top map[string]json.RawMessage
	if err := strictDecode(b, &top); err != nil || top == nil {
		return nil, malformed(syntax)
	}
	d := &Document{Version: V2008}
	for _, k := range sortedKeys(top) {
		switch k {
		case "Version", "Id", "Statement":
		default:
			return nil, malformed("%s Unknown element %q.", syntax, k)
		}
	}
	if raw, ok := top["Version"]; ok {
		if err := json.Unmarshal(raw, &d.Version); err != nil || (d.Version != V2012 && d.Version != V2008) {
			return nil, malformed("The policy must contain a valid version string (%s or %s).", V2012, V2008)
		}
	}
	if raw, ok := top["Id"]; ok {
		if err := json.Unmarshal(raw, &d.ID); err != nil {
			return nil, malformed("%s Id must be a string.", syntax)
		}
	}
	raws, err := statementList(top["Statement"])
	if err != nil {
		return nil, err
	}
	sids := map[string]bool{}
	for i, raw := range raws {
		st, err := parseStatement(raw, i)
		if err != nil {
			return nil, err
		}
		if st.Sid != "" {
			if sids[st.Sid] {
				return nil, malformed("Statement IDs (SID) in a single policy must be unique.")
			}
			sids[st.Sid] = true
		}
		d.Statements = append(d.Statements, st)
	}
	return d, nil
}

// strictDecode unmarshals one JSON value and nothing after it.
func strictDecode(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return fmt.Errorf("data after the document")
	}
	return nil
}

// statementList is the Statement element: one object or an array of them.
func statementList(raw json.RawMessage) ([]json.RawMessage, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return nil, malformed("%s The policy has no Statement.", syntax)
	}
	if raw[0] == '{' {
		return []json.RawMessage{raw}, nil
	}
	var list []json.RawMessage
	if err := json.Unmarshal(raw, &list); err != nil || len(list) == 0 {
		return nil, malformed("%s Statement must be an object or a non-empty array of objects.", syntax)
	}
	return list, nil
}

func parseStatement(raw json.RawMessage, i int) (Statement, error) {
	var st Statement
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil || m == nil {
		return st, malformed("%s Statement[%d] must be an object.", syntax, i)
	}
	for _, k := range sortedKeys(m) {
		switch k {
		case "Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Condition":
		case "Principal", "NotPrincipal":
			return st, malformed("Policy document should not specify a principal.")
		default:
			return st, malformed("%s Statement[%d] has an unknown element %q.", syntax, i, k)
		}
	}
	if raw, ok := m["Sid"]; ok {
		if err := json.Unmarshal(raw, &st.Sid); err != nil {
			return st, malformed("%s Statement[%d].Sid must be a string.", syntax, i)
		}
	}
	var effect string
	if err := json.Unmarshal(m["Effect"], &effect); err != nil || (effect != string(Allow) && effect != string(Deny)) {
		return st, malformed("%s Statement[%d].Effect must be \"Allow\" or \"Deny\".", syntax, i)
	}
	st.Effect = Effect(effect)
	var err error
	if st.Actions, st.NotAction, err = pair(m, "Action", "NotAction", i); err != nil {
		return st, err
	}
	if st.Actions == nil {
		return st, malformed("Policy statement must contain actions.")
	}
	for _, a := range st.Actions {
		if a != "*" && !hasVendor(a) {
			return st, malformed("Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc. (Statement[%d] action %q)", i, a)
		}
	}
	if st.Resources, st.NotResource, err = pair(m, "Resource", "NotResource", i); err != nil {
		return st, err
	}
	if st.Resources == nil {
		return st, malformed("Policy statement must contain resources.")
	}
	for _, r := range st.Resources {
		if !isResource(r) {
			return st, malformed("Resource %s must be in ARN format or \"*\".", r)
		}
	}
	if raw, ok := m["Condition"]; ok {
		if st.Conditions, err = parseConditions(raw, i); err != nil {
			return st, err
		}
	}
	return st, nil
}

// pair reads whichever of two exclusive elements is present (nil when neither is).
func pair(m map[string]json.RawMessage, name, notName string, i int) ([]string, bool, error) {
	raw, has := m[name]
	notRaw, hasNot := m[notName]
	switch {
	case has && hasNot:
		return nil, false, malformed("%s Statement[%d] has both %s and %s.", syntax, i, name, notName)
	case hasNot:
		list, err := stringList(notRaw, i, notName)
		return list, true, err
	case has:
		list, err := stringList(raw, i, name)
		return list, false, err
	}
	return nil, false, nil
}

// stringList is a string or a non-empty array of strings.
func stringList(raw json.RawMessage, i int, name string) ([]string, error) {
	var one string
	if err := json.Unmarshal(raw, &one); err == nil {
		return []string{one}, nil
	}
	var list []string
	if err := json.Unmarshal(raw, &list); err != nil || len(list) == 0 {
		return nil, malformed("%s Statement[%d].%s must be a string or a non-empty array of strings.", syntax, i, name)
	}
	return list, nil
}

func hasVendor(s string) bool {
	vendor, name, ok := strings.Cut(s, ":")
	return ok && vendor != "" && name != ""
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// isResource accepts "*" and ARN patterns: six parts, or fewer ending in a wildcard that
// covers the rest ("arn:aws:codepipeline:*").
func isResource(r string) bool {
	return r == "*" || strings.HasPrefix(r, "arn:") && (strings.Count(r, ":") >= 5 || strings.HasSuffix(r, "*"))
}
