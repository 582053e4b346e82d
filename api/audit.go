package api

import (
	"context"
	"encoding/json"
	"errors"
	"strings"

	"sluice"
	"sluice/api/sigv4"
	"sluice/audit"
)

// eventSources maps a target's prefix to the eventSource of its calls' records. Sluice's own
// operations (functions, the worker protocol, connection credentials) are recorded under
// sluice.amazonaws.com.
var eventSources = []struct{ prefix, source string }{
	{pipelineTarget, "codepipeline.amazonaws.com"},
	{codecommitTarget, "codecommit.amazonaws.com"},
	{codebuildTarget, "codebuild.amazonaws.com"},
	{"com.amazonaws.codestar.connections.CodeStar_connections_20191201.", "codestar-connections.amazonaws.com"},
	{"CodeStar_connections_20191201.", "codestar-connections.amazonaws.com"},
	{"com.amazonaws.codeconnections.CodeConnections_20231201.", "codeconnections.amazonaws.com"},
	{"CodeConnections_20231201.", "codeconnections.amazonaws.com"},
	{cloudtrailTarget, "cloudtrail.amazonaws.com"},
	{secretsTarget, "secretsmanager.amazonaws.com"},
	{ssmTarget, "ssm.amazonaws.com"},
	{eventsTarget, "events.amazonaws.com"},
	{sluiceConnTarget, "sluice.amazonaws.com"},
	{functionsTarget, "sluice.amazonaws.com"},
	{workerTarget, "sluice.amazonaws.com"},
	{notificationsTarget, "sluice.amazonaws.com"},
	{chatTarget, "sluice.amazonaws.com"},
	{partnerTarget, "sluice.amazonaws.com"},
}

// eventOf is the eventSource and eventName of a target ("" for none Sluice serves).
func eventOf(target string) (source, name string) {
	for _, e := range eventSources {
		if op, ok := strings.CutPrefix(target, e.prefix); ok {
			return e.source, op
		}
	}
	return "", ""
}

// audited runs one authenticated call with its record (see package audit): made before the
// call, written by the call's transaction or after it.
func (s *Server) audited(ctx context.Context, target string, id *sigv4.Identity, c sluice.Caller, reqID string, body []byte,
	call func(context.Context) (any, error)) (any, error) {
	ctx, rec := s.auditBegin(ctx, target, id, c, reqID, body)
	out, err := call(ctx)
	s.auditEnd(ctx, rec, out, err)
	return out, err
}

// auditBegin starts the record of an authenticated call to a routed operation and attaches
// it to ctx (see package audit); auditEnd records the call's outcome. Calls that fail
// authentication name no principal and are not recorded.
func (s *Server) auditBegin(ctx context.Context, target string, id *sigv4.Identity, c sluice.Caller, reqID string, body []byte) (context.Context, *sluice.AuditRecord) {
	source, name := eventOf(target)
	if source == "" || s.Service == nil {
		return ctx, nil
	}
	return audit.Begin(ctx, audit.Call{Source: source, Name: name, Region: id.Region, Account: s.account(),
		Caller: c, RequestID: reqID, Params: body,
		Resources: s.auditResources(source, name, body)})
}

func (s *Server) auditEnd(ctx context.Context, rec *sluice.AuditRecord, out any, err error) {
	if rec == nil {
		return
	}
	code, msg := "", ""
	if err != nil {
		code, msg = outcome(err), s.errorMessage(err)
	}
	if err := audit.End(ctx, s.Service, rec, out, code, msg); err != nil {
		s.Log.Error("audit: record a call", "request_id", rec.Event().RequestID, "err", err)
	}
}

// errorMessage is the message a failed call's answer carries (without internal detail).
func (s *Server) errorMessage(err error) string {
	var (
		se *sluice.Error
		pe *protocolError
	)
	switch {
	case errors.As(err, &pe):
		return pe.Message
	case errors.As(err, &se) && se.Code != sluice.EInternal:
		return exceptionMessage(se, s.account())
	}
	return "The request processing has failed because of an unknown error, exception or failure."
}

// auditResources names the resources a request names, by the members that name them.
func (s *Server) auditResources(source, op string, body []byte) []sluice.AuditResource {
	var m map[string]any
	if json.Unmarshal(body, &m) != nil {
		return nil
	}
	scope := s.Service.Scope()
	var out []sluice.AuditResource
	add := func(kind sluice.ARNKind, typ string, v any) {
		name, ok := v.(string)
		if !ok || name == "" {
			return
		}
		arn := name
		if !strings.HasPrefix(name, "arn:") {
			arn = scope.ARN(kind, name)
		}
		out = append(out, sluice.AuditResource{ARN: arn, AccountID: scope.Account, Type: typ, Name: name})
	}
	sub := func(key, member string) any { o, _ := m[key].(map[string]any); return o[member] }
	switch source {
	case "codepipeline.amazonaws.com":
		pipe := func(v any) { add(sluice.PipelineARN, "AWS::CodePipeline::Pipeline", v) }
		hook := func(v any) { add(sluice.WebhookARN, "AWS::CodePipeline::Webhook", v) }
		pipe(m["pipelineName"])
		pipe(sub("pipeline", "name"))
		pipe(sub("webhook", "targetPipeline"))
		hook(sub("webhook", "name"))
		hook(m["webhookName"])
		if op == "DeleteWebhook" {
			hook(m["name"])
		} else {
			pipe(m["name"]) // GetPipeline, DeletePipeline, GetPipelineState, StartPipelineExecution
		}
		if arn, ok := m["resourceArn"].(string); ok && strings.Contains(arn, ":webhook:") {
			hook(arn)
		} else {
			pipe(m["resourceArn"])
		}
	case "codecommit.amazonaws.com":
		add(sluice.RepositoryARN, "AWS::CodeCommit::Repository", m["repositoryName"])
	case "codebuild.amazonaws.com":
		project := func(v any) { add(sluice.ProjectARN, "AWS::CodeBuild::Project", v) }
		project(m["name"])
		project(m["projectName"])
		names, _ := m["names"].([]any)
		for _, n := range names {
			project(n)
		}
	case "secretsmanager.amazonaws.com": // the name as given; its ARN carries a suffix only the store knows
		secret := sluice.ARNKind{Service: "secretsmanager", Type: "secret", Sep: ":"}
		add(secret, "AWS::SecretsManager::Secret", m["SecretId"])
		add(secret, "AWS::SecretsManager::Secret", m["Name"])
	case "ssm.amazonaws.com":
		param := sluice.ARNKind{Service: "ssm", Type: "parameter", Sep: "/"}
		if name, ok := m["Name"].(string); ok {
			add(param, "AWS::SSM::Parameter", strings.TrimPrefix(name, "/"))
		}
	case "events.amazonaws.com":
		rule := func(v any) { add(sluice.EventRuleARN, "AWS::Events::Rule", v) }
		rule(m["Name"])
		rule(m["Rule"])
		rule(m["ResourceARN"])
	case "codestar-connections.amazonaws.com", "codeconnections.amazonaws.com", "sluice.amazonaws.com":
		add(sluice.ConnectionARN, "AWS::CodeStarConnections::Connection", m["ConnectionArn"])
		add(sluice.HostARN, "AWS::CodeStarConnections::Host", m["HostArn"])
	}
	return out
}
