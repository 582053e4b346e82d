package console

import (
	"net/http"
	"strings"

	"sluice"
	"sluice/service"
)

// connectionsPageSize is how many connections one page lists.
const connectionsPageSize = 50

type connectionRow struct {
	*sluice.Connection
	ID string // the last part of its ARN: its page's and its webhook URL's
}

func connectionRowOf(conn *sluice.Connection) connectionRow {
	return connectionRow{Connection: conn, ID: conn.ARN[strings.LastIndex(conn.ARN, "/")+1:]}
}

type connectionsData struct {
	Rows []connectionRow
	Next string
}

// connectionsPage lists the connections with their status, provider and host.
func (c *Console) connectionsPage(w http.ResponseWriter, r *http.Request, s *session) {
	list, next, err := c.Service.ListConnections(r.Context(), s.caller, service.ConnectionFilter{
		Page: sluice.Page{Token: r.URL.Query().Get("page"), Limit: connectionsPageSize}})
	if err != nil {
		c.failed(w, r, s, err)
		return
	}
	d := connectionsData{Next: next}
	for _, conn := range list {
		d.Rows = append(d.Rows, connectionRowOf(conn))
	}
	c.render(w, r, s, http.StatusOK, "connections", d)
}

// deliveriesShown is how many recent webhook deliveries a connection's page shows.
const deliveriesShown = 50

type connectionData struct {
	connectionRow
	WebhookURL string
	SecretSet  bool // never the secret itself
	Deliveries []*sluice.WebhookDelivery
	Next       string
}

// connectionPage shows a connection: its status, webhook URL, whether a webhook secret is
// set, and its recent deliveries with what came of each.
func (c *Console) connectionPage(w http.ResponseWriter, r *http.Request, s *session) {
	arn := c.Service.Scope().ARN(sluice.ConnectionARN, r.PathValue("id"))
	conn, err := c.Service.GetConnection(r.Context(), s.caller, arn)
	if err != nil {
		c.failed(w, r, s, err)
		return
	}
	ds, next, err := c.Service.ListWebhookDeliveries(r.Context(), s.caller, arn,
		sluice.Page{Token: r.URL.Query().Get("page"), Limit: deliveriesShown})
	if err != nil {
		c.failed(w, r, s, err)
		return
	}
	row := connectionRowOf(conn)
	c.render(w, r, s, http.StatusOK, "connection", connectionData{connectionRow: row, SecretSet: conn.WebhookSecret != "",
		WebhookURL: c.baseURL(r) + "/v1/webhooks/" + row.ID, Deliveries: ds, Next: next})
}
