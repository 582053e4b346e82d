package node

import (
	"net/http"

	"sluice/api/restjson"
)

// notificationRoutes serves CodeStar Notifications (rest-json: a path per operation) on the
// API's endpoint, with the API's core, verifier and request ids.
func (n *Node) notificationRoutes(mux *http.ServeMux) {
	s := &restjson.Server{Service: n.API.Service, Verifier: n.API.Verifier, Log: n.Log, IDs: n.API.IDs, BodyTimeout: n.Config.BodyTimeout}
	s.Register(mux)
}
