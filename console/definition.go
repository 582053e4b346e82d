package console

import "net/http"

// definitionRoutes mounts this area's pages.
func (c *Console) definitionRoutes(mux *http.ServeMux) {
}
