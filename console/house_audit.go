package console

import (
	"encoding/json"
	"net/http"
	"strings"

	"sluice"
	"sluice/service"
)

// auditFilters are the lookup attributes the audit page filters by, in its menu's order.
var auditFilters = []struct{ Key, Label string }{
	{string(sluice.AuditEventName), "Event name"},
	{string(sluice.AuditUsername), "User name"},
	{string(sluice.AuditResourceName), "Resource name"},
	{string(sluice.AuditEventSource), "Event source"},
	{string(sluice.AuditAccessKeyID), "Access key id"},
}

type auditRow struct {
	*sluice.AuditEvent
	User   string
	Record string // the CloudTrail record, indented
}

type auditData struct {
	Key, Value, Next string
	Filters          any
	Rows             []auditRow
}

// auditPage shows the audit trail newest first, filtered by one attribute, a page at a time.
func (c *Console) auditPage(w http.ResponseWriter, r *http.Request, s *session) {
	q := r.URL.Query()
	d := auditData{Key: q.Get("key"), Value: strings.TrimSpace(q.Get("value")), Filters: auditFilters}
	if d.Key == "" {
		d.Key = string(sluice.AuditEventName)
	}
	p := service.LookupParams{NextToken: q.Get("page")}
	if d.Value != "" {
		p.Attributes = []service.LookupAttribute{{Key: d.Key, Value: d.Value}}
	}
	events, next, err := c.Service.LookupEvents(r.Context(), s.caller, p)
	if err != nil {
		c.failed(w, r, s, err)
		return
	}
	d.Next = next
	for _, e := range events {
		raw, _ := json.MarshalIndent(e, "", "  ") // plain data
		d.Rows = append(d.Rows, auditRow{AuditEvent: e, User: e.UserIdentity.Username(), Record: string(raw)})
	}
	c.render(w, r, s, http.StatusOK, "audit", d)
}
