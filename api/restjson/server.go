// Package restjson is the adapter of AWS's rest-json protocol, which CodeStar Notifications
// speaks: each operation is a POST to its own path (/createNotificationRule, ...) with a JSON
// body, signed with SigV4 for the service "codestar-notifications", answered in JSON. Like
// packages api and query it translates only: member checks (members.go), a call of the core
// (package service), the answer's JSON; errors reach the wire in errors.go alone.
package restjson

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"

	"sluice"
	"sluice/api/sigv4"
	"sluice/audit"
	"sluice/service"
)

// maxBody bounds a request body: the largest input (ten targets, fifty tags, a list of
// event types) is a few kilobytes.
const maxBody = 256 << 10

// signingName is the SigV4 service of CodeStar Notifications, and eventSource its calls'
// audit records name.
const (
	signingName = "codestar-notifications"
	eventSource = "codestar-notifications.amazonaws.com"
)

// Server serves CodeStar Notifications. Every field must be set except BodyTimeout.
type Server struct {
	Service  *service.Service
	Verifier *sigv4.Verifier
	Log      *slog.Logger
	IDs      sluice.IDs
	// BodyTimeout bounds the reading of a request's body (0: one minute).
	BodyTimeout time.Duration
}

// call is one request as a handler sees it.
type call struct {
	body   []byte
	req    *http.Request
	caller sluice.Caller
}

type handler func(ctx context.Context, c *call) (any, error)

// Paths are the request paths of the operations, for the node's router: each is served
// with POST, UntagResource under its prefix with the ARN after it.
func (s *Server) Paths() []string {
	out := make([]string, 0, len(s.ops()))
	for name := range s.ops() {
		out = append(out, "POST "+opPath(name))
	}
	return append(out, "POST /untagResource/{arn...}")
}

// Register serves every operation on mux.
func (s *Server) Register(mux *http.ServeMux) {
	for _, p := range s.Paths() {
		mux.Handle(p, s)
	}
}

// opPath is an operation's path: its name with a lower-case first letter.
func opPath(name string) string { return "/" + string(name[0]+'a'-'A') + name[1:] }

// ServeHTTP answers one request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	reqID := s.IDs.NewID()
	start := time.Now()
	w.Header().Set("x-amzn-RequestId", reqID)
	op, principal, out, err := s.serve(w, r, reqID)
	s.Log.Info("api call", "request_id", reqID, "op", op, "protocol", "rest-json", "principal", principal,
		"remote", r.RemoteAddr, "outcome", outcome(err), "duration", time.Since(start))
	if err != nil {
		writeError(w, s.Log, reqID, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(out); err != nil {
		s.Log.Warn("write response", "request_id", reqID, "err", err)
	}
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request, reqID string) (op, principal string, out any, err error) {
	defer func() {
		if p := recover(); p != nil {
			s.Log.Error("panic in handler", "request_id", reqID, "op", op, "panic", p)
			out, err = nil, errors.New("panic")
		}
	}()
	op, h := s.route(r)
	body, id, err := s.Verifier.ReadBody(w, r, maxBody, s.BodyTimeout, sluice.EInvalid)
	if err != nil {
		return op, "", nil, err
	}
	if id.Service != signingName {
		return op, id.Principal, nil, sluice.Errorf(sluice.EInvalid, "", "Credential should be scoped to correct service: '%s'.", signingName)
	}
	if h == nil {
		return op, id.Principal, nil, sluice.Errorf(sluice.EUnsupported, "", "Unknown operation %s %s.", r.Method, r.URL.Path)
	}
	c := &call{body: body, req: r, caller: sluice.Caller{Principal: id.Principal, AccessKeyID: id.AccessKeyID,
		SourceIP: sourceIP(r.RemoteAddr), UserAgent: r.UserAgent()}}
	out, err = s.audited(r.Context(), op, id, c, reqID, func(ctx context.Context) (any, error) { return h(ctx, c) })
	if out == nil && err == nil {
		out = struct{}{}
	}
	return op, id.Principal, out, err
}

// route finds the operation of r's path (nil when there is none).
func (s *Server) route(r *http.Request) (string, handler) {
	if r.PathValue("arn") != "" {
		return "UntagResource", s.untagResource
	}
	for name, h := range s.ops() {
		if opPath(name) == r.URL.Path {
			return name, h
		}
	}
	return "", nil
}

// audited runs one routed call with its record in the trail (see package audit).
func (s *Server) audited(ctx context.Context, op string, id *sigv4.Identity, c *call, reqID string, run func(context.Context) (any, error)) (any, error) {
	params := c.body
	if op == "UntagResource" { // its input is in the path and query
		params, _ = json.Marshal(map[string]any{"arn": c.req.PathValue("arn"), "tagKeys": c.req.URL.Query()["tagKeys"]})
	}
	ctx, rec := audit.Begin(ctx, audit.Call{Source: eventSource, Name: op, Region: id.Region, Account: s.Service.Account(),
		Caller: c.caller, RequestID: reqID, Params: params})
	out, err := run(ctx)
	code, msg := "", ""
	if err != nil {
		w := toWire(err)
		code, msg = w.name, w.message
	}
	if rerr := audit.End(ctx, s.Service, rec, out, code, msg); rerr != nil {
		s.Log.Error("audit: record a call", "op", op, "err", rerr)
	}
	return out, err
}

func sourceIP(remote string) string {
	if host, _, err := net.SplitHostPort(remote); err == nil {
		return host
	}
	return remote
}
