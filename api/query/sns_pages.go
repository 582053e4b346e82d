package query

import (
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// The pages a confirmation mail and a notification mail link to (AWS's confirmation.html
// and unsubscribe.html): a person's click confirms or unsubscribes on GET, and reads a
// short page of the outcome.
const (
	ConfirmationPagePath = "/confirmation.html"
	UnsubscribePagePath  = "/unsubscribe.html"
)

var pageTmpl = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;line-height:1.5}code{word-break:break-all}</style>
</head><body>
<h1>{{.Title}}</h1>
{{range .Lines}}<p>{{.}}</p>{{end}}
{{with .ARN}}<p><code>{{.}}</code></p>{{end}}
{{with .Unsubscribe}}<p>If it was not your intention to subscribe, <a href="{{.}}">click here to unsubscribe</a>.</p>{{end}}
</body></html>
`))

type linkPageView struct {
	Title       string
	Lines       []string
	ARN         string
	Unsubscribe string
}

// ConfirmationPage confirms the subscription of ?TopicArn&Token (&Endpoint, shown back).
func (s *Server) ConfirmationPage() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		values := url.Values{"Action": {"ConfirmSubscription"}, "TopicArn": {q.Get("TopicArn")}, "Token": {q.Get("Token")}}
		out, err := s.linkPage(r, values)
		if err != nil {
			writePage(w, toWire(snsNamespace, err).status, linkPageView{Title: "Subscription not confirmed",
				Lines: []string{toWire(snsNamespace, err).message, "The link may have expired (links are valid for 48 hours) or been used for a subscription that no longer exists."}})
			return
		}
		arn := out.(struct{ SubscriptionArn string }).SubscriptionArn
		unsub := UnsubscribePagePath[1:] + "?SubscriptionArn=" + url.QueryEscape(arn) + "&Endpoint=" + url.QueryEscape(q.Get("Endpoint"))
		writePage(w, http.StatusOK, linkPageView{Title: "Subscription confirmed!",
			Lines: []string{"You have successfully subscribed. Your subscription's id is:"}, ARN: arn, Unsubscribe: unsub})
	})
}

// UnsubscribePage deletes the subscription of ?SubscriptionArn (&Endpoint, shown back).
func (s *Server) UnsubscribePage() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		arn := q.Get("SubscriptionArn")
		values := url.Values{"Action": {"Unsubscribe"}, "SubscriptionArn": {arn}}
		if _, err := s.linkPage(r, values); err != nil {
			writePage(w, toWire(snsNamespace, err).status, linkPageView{Title: "Subscription not removed",
				Lines: []string{toWire(snsNamespace, err).message}})
			return
		}
		topic := arn[:max(strings.LastIndex(arn, ":"), 0)]
		lines := []string{"Your subscription to the topic below has been deactivated. You will no longer receive notifications from this topic."}
		if e := q.Get("Endpoint"); e != "" {
			lines = append(lines, "Address: "+e)
		}
		writePage(w, http.StatusOK, linkPageView{Title: "Subscription removed!", Lines: lines, ARN: topic})
	})
}

// linkPage runs a page's action as its link would, logged like any query call.
func (s *Server) linkPage(r *http.Request, values url.Values) (any, error) {
	reqID := s.IDs.NewID()
	start := time.Now()
	out, err := s.serveLink(r, reqID, values)
	s.Log.Info("api call", "request_id", reqID, "op", values.Get("Action"), "protocol", "query", "principal", "",
		"remote", r.RemoteAddr, "outcome", outcome(snsNamespace, err), "duration", time.Since(start))
	if err != nil && toWire(snsNamespace, err).status >= 500 {
		s.Log.Error("internal error", "request_id", reqID, "err", err)
	}
	return out, err
}

func writePage(w http.ResponseWriter, status int, p linkPageView) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = pageTmpl.Execute(w, p) // a write error means the reader left
}
