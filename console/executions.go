package console

import "net/http"

// executionRoutes mounts this area's pages.
func (c *Console) executionRoutes(mux *http.ServeMux) {
}
