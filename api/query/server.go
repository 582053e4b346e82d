// Package query is the adapter of AWS's query protocol, which IAM, STS and SNS speak: a
// form-encoded POST / (or a GET with the same fields) naming Action and Version, signed with
// SigV4 for the service "iam", "sts" or "sns", answered in XML. Like package api it translates
// only: member checks (form.go), a call of the core (package service), the answer's XML
// (shapes.go); errors reach the wire in errors.go alone.
package query

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"time"

	"sluice"
	"sluice/api/sigv4"
	"sluice/audit"
	"sluice/service"
)

// maxBody bounds a request body: the largest IAM input (a policy document) is 131,072
// characters, percent-encoded at most three bytes each.
const maxBody = 512 << 10

// The services served, their API versions and XML namespaces.
const (
	iamVersion   = "2010-05-08"
	stsVersion   = "2011-06-15"
	iamNamespace = "https://iam.amazonaws.com/doc/2010-05-08/"
	stsNamespace = "https://sts.amazonaws.com/doc/2011-06-15/"
	snsVersion   = "2010-03-31"
	snsNamespace = "http://sns.amazonaws.com/doc/2010-03-31/"
)

// Server serves IAM and STS. Every field must be set.
type Server struct {
	Service  *service.Service
	Verifier *sigv4.Verifier
	Log      *slog.Logger
	IDs      sluice.IDs
	// BodyTimeout bounds the reading of a request's body (0: one minute, as the JSON API).
	BodyTimeout time.Duration
}

// call is one request as a handler sees it.
type call struct {
	form   *form
	caller sluice.Caller
}

type handler func(ctx context.Context, c *call) (any, error)

// IsQuery reports whether r is a query-protocol request: a form-encoded POST, or a GET with
// an Action, and no X-Amz-Target (which the JSON API takes).
func IsQuery(r *http.Request) bool {
	if r.Header.Get("X-Amz-Target") != "" {
		return false
	}
	if r.Method == http.MethodGet {
		return r.URL.Query().Get("Action") != ""
	}
	mt := r.Header.Get("Content-Type")
	return len(mt) >= 33 && mt[:33] == "application/x-www-form-urlencoded"
}

// ServeHTTP answers one request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	reqID := s.IDs.NewID()
	start := time.Now()
	w.Header().Set("x-amzn-RequestId", reqID)
	ns, action, principal, out, err := s.serve(w, r, reqID)
	s.Log.Info("api call", "request_id", reqID, "op", action, "protocol", "query", "principal", principal,
		"remote", r.RemoteAddr, "outcome", outcome(ns, err), "duration", time.Since(start))
	if err != nil {
		writeError(w, s.Log, reqID, ns, err)
		return
	}
	writeResult(w, s.Log, reqID, ns, action, out)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request, reqID string) (ns, action, principal string, out any, err error) {
	ns = iamNamespace
	defer func() {
		if p := recover(); p != nil {
			s.Log.Error("panic in handler", "op", action, "panic", p)
			out, err = nil, errors.New("panic")
		}
	}()
	if link, ok := snsLink(r); ok {
		ns, action = snsNamespace, link.Get("Action")
		out, err = s.serveLink(r, reqID, link)
		return ns, action, "", out, err
	}
	body, id, err := s.Verifier.ReadBody(w, r, maxBody, s.BodyTimeout, sluice.EInvalid)
	if err != nil {
		return ns, "", "", nil, err
	}
	if id.Service == "sns" {
		ns = snsNamespace // its errors are SNS's from here on
	}
	raw := string(body)
	if r.Method == http.MethodGet {
		raw = r.URL.RawQuery
	}
	values, perr := url.ParseQuery(raw)
	if perr != nil {
		return ns, "", id.Principal, nil, sluice.Errorf(sluice.EInvalid, "", "The request is not form-encoded: %v", perr)
	}
	f := &form{values: values}
	action = values.Get("Action")
	h, ns, err := s.handler(id.Service, action, values.Get("Version"))
	if err != nil {
		return ns, action, id.Principal, nil, err
	}
	host, _, serr := net.SplitHostPort(r.RemoteAddr)
	if serr != nil {
		host = r.RemoteAddr
	}
	c := &call{form: f, caller: sluice.Caller{Principal: id.Principal, AccessKeyID: id.AccessKeyID, SourceIP: host, UserAgent: r.UserAgent()}}
	out, err = s.audited(r.Context(), id, c, reqID, values, func(ctx context.Context) (any, error) { return h(ctx, c) })
	return ns, action, id.Principal, out, err
}

// audited runs one routed call with its record in the trail (see package audit): made
// before the call, written by the call's transaction or after it, with the call's outcome.
func (s *Server) audited(ctx context.Context, id *sigv4.Identity, c *call, reqID string, form url.Values, run func(context.Context) (any, error)) (any, error) {
	// IAM and STS are global: CloudTrail records their calls in us-east-1 whatever the signing
	// region. SNS is regional: its calls are in the region signed for (a link's, which is not
	// signed, in the server's).
	source, region, ns := id.Service+".amazonaws.com", "us-east-1", iamNamespace
	if id.Service == "sns" {
		region, ns = id.Region, snsNamespace
		if region == "" {
			region = s.Service.Region()
		}
	}
	call := audit.Call{Source: source, Name: form.Get("Action"), Region: region,
		Account: s.Service.Account(), Caller: c.caller, RequestID: reqID, Params: audit.QueryParams(form)}
	if id.Principal == "" { // an SNS link, followed without credentials
		call.Identity = &sluice.AuditIdentity{Type: "Unknown", AccountID: s.Service.Account()}
	}
	ctx, rec := audit.Begin(ctx, call)
	out, err := run(ctx)
	code, msg := "", ""
	if err != nil {
		w := toWire(ns, err)
		code, msg = w.code, w.message
	}
	if rerr := audit.End(ctx, s.Service, rec, out, code, msg); rerr != nil {
		s.Log.Error("audit: record a call", "op", form.Get("Action"), "err", rerr)
	}
	return out, err
}

// handler finds the operation by the signature's service, then Action and Version.
func (s *Server) handler(svc, action, version string) (handler, string, error) {
	ops, want, ns := s.iamOps(), iamVersion, iamNamespace
	switch svc {
	case "sts":
		ops, want, ns = s.stsOps(), stsVersion, stsNamespace
	case "sns":
		ops, want, ns = s.snsOps(), snsVersion, snsNamespace
	case "iam":
	default:
		return nil, ns, sluice.Errorf(sluice.EUnsupported, "", "Sluice serves the query protocol for iam, sts and sns only, not %q.", svc)
	}
	h, ok := ops[action]
	if !ok || version != want {
		return nil, ns, sluice.Errorf(sluice.EUnsupported, "", "Could not find operation %s for version %s", action, version)
	}
	return h, ns, nil
}

// writeResult writes <ActionResponse><ActionResult>out</ActionResult><ResponseMetadata>.
func writeResult(w http.ResponseWriter, log *slog.Logger, reqID, ns, action string, out any) {
	w.Header().Set("Content-Type", "text/xml")
	enc := xml.NewEncoder(w)
	root := xml.StartElement{Name: xml.Name{Local: action + "Response"}, Attr: []xml.Attr{{Name: xml.Name{Local: "xmlns"}, Value: ns}}}
	err := enc.EncodeToken(root)
	if err == nil && out != nil {
		err = enc.EncodeElement(out, xml.StartElement{Name: xml.Name{Local: action + "Result"}})
	}
	if err == nil {
		err = enc.EncodeElement(struct {
			RequestID string `xml:"RequestId"`
		}{reqID}, xml.StartElement{Name: xml.Name{Local: "ResponseMetadata"}})
	}
	if err == nil {
		err = enc.EncodeToken(root.End())
	}
	if err == nil {
		err = enc.Flush()
	}
	if err != nil {
		log.Warn("write response", "request_id", reqID, "err", fmt.Sprint(err))
	}
}
