package actionlog

import (
	"net/url"
	"strings"
)

// URLPathPrefix is where the server serves action logs.
const URLPathPrefix = "/v1/logs/"

// URLPath is the HTTP path of one action execution's log. Each part is escaped, and a part made
// only of dots (the pipeline names "." and ".." are valid) is written as %2E escapes, which
// HTTP routers do not clean away as they would "/./" or "/../".
func URLPath(pipeline, actionExecutionID string) string {
	return URLPathPrefix + pathSegment(pipeline) + "/" + pathSegment(actionExecutionID)
}

func pathSegment(s string) string {
	if s != "" && strings.Trim(s, ".") == "" {
		return strings.Repeat("%2E", len(s))
	}
	return url.PathEscape(s)
}
