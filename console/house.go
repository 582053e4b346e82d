package console

import "net/http"

// houseRoutes mounts this area's pages.
func (c *Console) houseRoutes(mux *http.ServeMux) {
}
