package service

import (
	"bytes"
	"encoding/json"

	"sluice"
	"sluice/eventpattern"
)

// Subscription filter policies (SNS's FilterPolicy): a pattern in EventBridge's syntax
// (exact values, prefix, suffix, anything-but, numeric, exists, $or) over the message's
// attributes, or over its body when FilterPolicyScope is MessageBody.
const (
	attrFilterPolicy      = "FilterPolicy"
	attrFilterPolicyScope = "FilterPolicyScope"
	scopeAttributes       = "MessageAttributes"
	scopeBody             = "MessageBody"
)

// checkFilterPolicy checks a FilterPolicy attribute ("" removes it).
func checkFilterPolicy(doc string) error {
	if doc == "" {
		return nil
	}
	if _, err := eventpattern.Compile(doc); err != nil {
		return snsInvalid("FilterPolicy", "Invalid parameter: FilterPolicy: %s", err.Error())
	}
	return nil
}

// filterOf is the compiled filter of sub (nil: none, or one no longer valid, which then
// filters nothing out).
func filterOf(sub *sluice.Subscription) *eventpattern.Pattern {
	doc := sub.Attributes[attrFilterPolicy]
	if doc == "" {
		return nil
	}
	p, err := eventpattern.Compile(doc)
	if err != nil {
		return nil
	}
	return p
}

// accepts reports whether sub's filter policy lets the message through: always without a
// policy; over the attributes, a message without attributes never matches (as on SNS).
func accepts(sub *sluice.Subscription, attrs map[string]sluice.MessageAttribute, body string) bool {
	p := filterOf(sub)
	if p == nil {
		return true
	}
	if sub.Attributes[attrFilterPolicyScope] == scopeBody {
		var v map[string]any
		d := json.NewDecoder(bytes.NewReader([]byte(body)))
		d.UseNumber()
		if d.Decode(&v) != nil {
			return false
		}
		return p.Match(v)
	}
	return p.Match(attributeValues(attrs))
}

// attributeValues are message attributes as a filter sees them: strings, numbers, and the
// elements of a String.Array; binary attributes are not matched.
func attributeValues(attrs map[string]sluice.MessageAttribute) map[string]any {
	out := make(map[string]any, len(attrs))
	for name, a := range attrs {
		switch {
		case a.DataType == "String.Array":
			var list []any
			d := json.NewDecoder(bytes.NewReader([]byte(a.StringValue)))
			d.UseNumber()
			if d.Decode(&list) == nil {
				out[name] = list
			}
		case a.DataType == "Number" || len(a.DataType) > 7 && a.DataType[:7] == "Number.":
			out[name] = json.Number(a.StringValue)
		case a.DataType == "String" || len(a.DataType) > 7 && a.DataType[:7] == "String.":
			out[name] = a.StringValue
		}
	}
	return out
}
