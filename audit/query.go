package audit

import (
	"encoding/json"
	"net/url"
	"sort"
)

// QueryParams is the input of a query-protocol call (IAM, STS) as JSON for Call.Params:
// each form field but Action and Version, by name ("UserName", "Tags.member.1.Key"), a
// field given twice as its first value. Parameters then lower-cases and redacts it.
func QueryParams(form url.Values) []byte {
	keys := make([]string, 0, len(form))
	for k := range form {
		if k != "Action" && k != "Version" && len(form[k]) > 0 {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return nil
	}
	sort.Strings(keys)
	m := make(map[string]string, len(keys))
	for _, k := range keys {
		m[k] = form[k][0]
	}
	b, _ := json.Marshal(m) // strings always encode
	return b
}
