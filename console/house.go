package console

import (
	"net/http"
	"strings"
)

// houseRoutes mounts "the rest of the house": repositories, connections, action types,
// workers, users and the audit trail. Each page asks the core as the signed-in user, so a
// user whose policies do not allow a read gets the error page with the core's message.
func (c *Console) houseRoutes(mux *http.ServeMux) {
	mux.Handle("GET /repositories", c.page(c.reposPage))
	mux.Handle("GET /repositories/{name}", c.page(c.repoPage))
	mux.Handle("GET /connections", c.page(c.connectionsPage))
	mux.Handle("GET /connections/{id}", c.page(c.connectionPage))
	mux.Handle("GET /action-types", c.page(c.actionTypesPage))
	mux.Handle("GET /workers", c.page(c.workersPage))
	mux.Handle("GET /iam", c.page(c.iamPage))
	mux.Handle("GET /iam/users/{name}", c.page(c.iamUserPage))
	mux.Handle("POST /iam/users/{name}/keys/{id}", c.form(c.iamKeyStatus))
	mux.Handle("GET /audit", c.page(c.auditPage))
	mux.Handle("GET /notifications", c.page(c.notificationsPage))
	mux.Handle("GET /notifications/log", c.page(c.deliveryLogPage))
}

// baseURL is the server's base URL as clients reach it, without a trailing slash: the
// operator's (Console.URL), else the request's host.
func (c *Console) baseURL(r *http.Request) string {
	if c.URL != nil {
		if u := c.URL(); u != "" {
			return strings.TrimSuffix(u, "/")
		}
	}
	scheme := "http"
	if r.TLS != nil || c.TLS {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// cloneURL is a hosted repository's clone URL: githost serves them under /v1/repos/.
func cloneURL(base, name string) string { return base + "/v1/repos/" + name }
