package query

import (
	"context"
	"net"
	"net/http"
	"net/url"

	"sluice"
	"sluice/api/sigv4"
)

// snsLink reports whether r is one of the links SNS puts in its messages, which their
// receivers follow without credentials: the SubscribeURL (GET ?Action=ConfirmSubscription)
// and the UnsubscribeURL (GET ?Action=Unsubscribe). It returns the link's members.
func snsLink(r *http.Request) (url.Values, bool) {
	if r.Method != http.MethodGet || r.Header.Get("Authorization") != "" {
		return nil, false
	}
	q := r.URL.Query()
	if q.Get("X-Amz-Signature") != "" || q.Get("X-Amz-Credential") != "" {
		return nil, false
	}
	switch q.Get("Action") {
	case "ConfirmSubscription", "Unsubscribe":
		return q, true
	}
	return nil, false
}

// serveLink answers a link (see snsLink), audited as an unauthenticated SNS call.
func (s *Server) serveLink(r *http.Request, reqID string, values url.Values) (any, error) {
	c := &call{form: &form{values: values}, caller: linkCaller(r)}
	return s.audited(r.Context(), &sigv4.Identity{Service: "sns"}, c, reqID, values, func(ctx context.Context) (any, error) {
		if values.Get("Action") == "Unsubscribe" {
			return s.unsubscribeBy(ctx, c, true)
		}
		return s.confirm(ctx, c, true)
	})
}

// linkCaller is the caller of a link: no principal, only where it came from.
func linkCaller(r *http.Request) sluice.Caller {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return sluice.Caller{SourceIP: host, UserAgent: r.UserAgent()}
}
