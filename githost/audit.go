package githost

import (
	"net/http"

	"sluice"
)

// AuditFunc is told of each request that passed authentication, once it is served: what it
// asked, the HTTP status it was answered with, and, for a pack pushed, the refs it changed
// (nil otherwise). It runs in the request's goroutine, so a slow one holds the request.
type AuditFunc func(r *http.Request, q Request, status int, updates []sluice.RefUpdate)
