package console

import "net/http"

// pipelineRoutes mounts this area's pages.
func (c *Console) pipelineRoutes(mux *http.ServeMux) {
}
