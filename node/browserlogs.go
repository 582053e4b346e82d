package node

import (
	"net/http"
	"strings"

	"sluice/actionlog"
)

// browserLogs sends a browser that follows a log link of the API (ListActionExecutions'
// logs, unsigned: a browser cannot sign with SigV4) to the console's page of that action
// run, which signs it in first. Signed requests, and presigned ones, reach the API's handler.
func browserLogs(api http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || r.Header.Get("Authorization") != "" || r.URL.Query().Has("X-Amz-Signature") ||
			!strings.Contains(r.Header.Get("Accept"), "text/html") {
			api.ServeHTTP(w, r)
			return
		}
		rest := strings.TrimPrefix(r.URL.EscapedPath(), actionlog.URLPathPrefix)
		pipeline, id, ok := strings.Cut(rest, "/")
		if !ok || pipeline == "" || id == "" || strings.Contains(id, "/") {
			api.ServeHTTP(w, r)
			return
		}
		http.Redirect(w, r, "/pipelines/"+pipeline+"/actions/"+id, http.StatusSeeOther)
	})
}
