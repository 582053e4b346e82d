package node

import (
	"net/http"

	"sluice/api/query"
)

// snsRoutes serves the pages the links of SNS mails open (confirm, unsubscribe); the SNS
// API itself is the query server's, on the API's endpoint.
func (n *Node) snsRoutes(mux *http.ServeMux) {
	mux.Handle("GET "+query.ConfirmationPagePath, n.Query.ConfirmationPage())
	mux.Handle("GET "+query.UnsubscribePagePath, n.Query.UnsubscribePage())
}
