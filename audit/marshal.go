package audit

import (
	"encoding/json"

	"sluice"
)

// Marshal is ev as CloudTrail writes it: its eventTime to the second, "2026-01-05T10:00:00Z".
func Marshal(ev *sluice.AuditEvent) []byte {
	type plain sluice.AuditEvent // without methods, so the time can be replaced
	b, err := json.Marshal(struct {
		*plain
		EventTime string `json:"eventTime"`
	}{(*plain)(ev), ev.EventTime.UTC().Format("2006-01-02T15:04:05Z")})
	if err != nil { // every member is a string, bool, slice or raw JSON a surface made
		return []byte("{}")
	}
	return b
}
