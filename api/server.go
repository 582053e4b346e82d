// Package api is the AWS JSON 1.1 adapter: it serves CodePipeline's API (with the CodeCommit
// subset for hosted repositories, CodeBuild's build project operations, and Sluice's own
// operations for remote workers and registered functions) at POST /, checks SigV4
// signatures, and maps core errors to the models' exceptions in one place (errors.go). It is
// translation only: each handler checks the request's members against the model, calls the
// core (package service) and writes its answer; rules live in the core.
package api

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"sluice"
	"sluice/api/sigv4"
	"sluice/jobcreds"
	"sluice/service"
)

// maxBody bounds a request body; pipelines are far smaller.
const maxBody = 4 << 20

// Server serves the API: it translates each request into a call of the core (Service)
// and its answer back. Every field must be set except the optional ones said so.
type Server struct {
	Service  *service.Service
	Verifier *sigv4.Verifier
	Log      *slog.Logger
	// IDs makes request ids.
	IDs sluice.IDs
	// CloneURL returns the HTTP clone URL of a hosted repository.
	CloneURL func(name string) string
	// WebhookURL is the URL of the V1 webhook whose token is given (nil: the path alone).
	WebhookURL func(token string) string
	// ArtifactLocation maps an artifact key to the bucket and object key that hold it (nil:
	// bucket "sluice-artifacts", the key itself, as for artifacts on local disk).
	ArtifactLocation func(key string) (bucket, objectKey string)
	// Logs holds action run logs for LogHandler (nil when it is not served).
	Logs ActionLogs
	// LogURL returns the link to an action execution's log (see LogURL) and HasLog says
	// whether runs of an action type have a log Sluice keeps. With both set, such runs
	// show the link as externalExecutionUrl unless their worker gave a URL of its own.
	LogURL func(pipeline, actionExecutionID string) string
	HasLog func(sluice.ActionTypeID) bool

	// Issuer makes the artifact credentials job data carries.
	Issuer *jobcreds.Issuer
	// BodyTimeout bounds reading a request's body (0: DefaultBodyTimeout).
	BodyTimeout time.Duration

	opsOnce sync.Once // concurrent first requests build ops once
	ops     map[string]handler

	followInit, followDone sync.Once // make and close followStop
	followStop             chan struct{}
}

// Locate returns the bucket and object key job data and action details show for an artifact.
func (s *Server) Locate(key string) (bucket, objectKey string) {
	if s.ArtifactLocation == nil {
		return "sluice-artifacts", key
	}
	return s.ArtifactLocation(key)
}

// account is the AWS account id the server answers for ("" without a core).
func (s *Server) account() string { return s.Service.Account() }

// call is one API request as a handler sees it.
type call struct {
	body      []byte
	principal string
	caller    sluice.Caller
	requestID string
	header    http.Header
}

type handler func(ctx context.Context, c *call) (any, error)

// ServeHTTP handles one AWS JSON 1.1 request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	reqID := s.IDs.NewID()
	w.Header().Set("x-amzn-RequestId", reqID)
	start := time.Now()
	op := r.Header.Get("X-Amz-Target")
	principal, out, err := s.serve(w, r, reqID, op)
	// A request whose client went away (a long poll it stopped waiting for, say) ends with
	// the error of whatever its context cut short: no server failure, and nobody to answer.
	gone := err != nil && r.Context().Err() != nil
	result := outcome(err)
	if gone {
		result = "ClientGone"
	}
	s.Log.Info("api call", "request_id", reqID, "op", op, "principal", principal,
		"remote", r.RemoteAddr, "outcome", result, "duration", time.Since(start))
	switch {
	case gone:
		return
	case err != nil:
		writeError(w, s.Log, reqID, s.account(), err)
		return
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	if err := json.NewEncoder(w).Encode(out); err != nil {
		s.Log.Warn("write response", "request_id", reqID, "err", err)
	}
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request, reqID, op string) (principal string, out any, err error) {
	defer func() {
		if p := recover(); p != nil {
			s.Log.Error("panic in handler", "request_id", reqID, "op", op, "panic", p)
			out, err = nil, errors.New("panic")
		}
	}()
	if r.Method != http.MethodPost {
		return "", nil, sluice.Errorf(sluice.EInvalid, "", "Use POST / with an X-Amz-Target header; %s is not supported.", r.Method)
	}
	body, id, err := s.readVerified(w, r, maxBody, sluice.EInvalid)
	if err != nil {
		return "", nil, err
	}
	principal = id.Principal
	h, err := s.handler(op)
	if err != nil {
		return principal, nil, err
	}
	caller := callerOf(r, id)
	out, err = s.audited(r.Context(), op, id, caller, reqID, body, func(ctx context.Context) (any, error) {
		return h(ctx, &call{body: body, principal: principal, caller: caller, requestID: reqID, header: r.Header})
	})
	if out == nil && err == nil {
		out = struct{}{}
	}
	return principal, out, err
}

func (s *Server) handler(target string) (handler, error) {
	s.opsOnce.Do(func() { s.ops = s.routes() })
	if h, ok := s.ops[target]; ok {
		return h, nil
	}
	service, op, _ := strings.Cut(target, ".")
	if service == "CodePipeline_20150709" && modelOperation(op) {
		return nil, sluice.Errorf(sluice.EUnsupported, "", "Sluice does not support the CodePipeline operation %s yet.", op)
	}
	return nil, &protocolError{Name: "UnknownOperationException", Message: "Unknown operation " + target}
}

func outcome(err error) string {
	if err == nil {
		return "ok"
	}
	var se *sluice.Error
	if errors.As(err, &se) {
		return exceptionName(se)
	}
	var ae *sigv4.AuthError
	if errors.As(err, &ae) {
		return ae.Name
	}
	var pe *protocolError
	if errors.As(err, &pe) {
		return pe.Name
	}
	return "InternalFailure"
}

// callerOf is who sent a verified request.
func callerOf(r *http.Request, id *sigv4.Identity) sluice.Caller {
	return sluice.Caller{Principal: id.Principal, AccessKeyID: id.AccessKeyID,
		SourceIP: sourceIP(r.RemoteAddr), UserAgent: r.UserAgent()}
}

// sourceIP is the address part of a request's remote address (the whole of it when it has
// no port).
func sourceIP(remote string) string {
	if host, _, err := net.SplitHostPort(remote); err == nil {
		return host
	}
	return remote
}
