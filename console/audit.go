package console

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"net/http"

	"sluice"
	"sluice/api/exception"
	"sluice/audit"
)

// act runs one change a user made in the console, recorded in the audit trail as the API
// records the same operation: op is the API operation's name (StartPipelineExecution), source
// its service's (codepipeline.amazonaws.com when ""), params the request as the API would
// have taken it (JSON members named as the model names them). The record says the console
// made it in its userAgent.
func (c *Console) act(r *http.Request, s *session, source, op string, params any, fn func(ctx context.Context) (any, error)) (any, error) {
	if source == "" {
		source = "codepipeline.amazonaws.com"
	}
	raw, _ := json.Marshal(params) // the console's own maps and structs
	who := s.caller
	who.UserAgent = "sluice-console (" + who.UserAgent + ")"
	ctx, rec := audit.Begin(r.Context(), audit.Call{Source: source, Name: op, Region: c.Service.Region(),
		Account: c.Service.Account(), Caller: who, Params: raw, Resources: c.resources(source, raw)})
	out, err := fn(ctx)
	code, msg := "", ""
	if err != nil {
		code, msg = errorCode(err), errorText(err)
	}
	if aerr := audit.End(background(r), c.Service, rec, out, code, msg); aerr != nil {
		c.Log.Error("console: record a change", "op", op, "err", aerr)
	}
	return out, err
}

// resources names the pipeline a CodePipeline change is about, as the API's records name it,
// so that a LookupEvents by ResourceName finds the console's changes with the API's.
func (c *Console) resources(source string, raw []byte) []sluice.AuditResource {
	var m struct {
		PipelineName, Name string
		Pipeline           struct{ Name string }
	}
	if source != "codepipeline.amazonaws.com" || json.Unmarshal(raw, &m) != nil {
		return nil
	}
	name := cmp.Or(m.PipelineName, m.Pipeline.Name, m.Name)
	if name == "" {
		return nil
	}
	scope := c.Service.Scope()
	return []sluice.AuditResource{{ARN: scope.ARN(sluice.PipelineARN, name), AccountID: scope.Account,
		Type: "AWS::CodePipeline::Pipeline", Name: name}}
}

// errorCode names an error in the audit record as the API names the same operation's.
func errorCode(err error) string {
	var se *sluice.Error
	if !errors.As(err, &se) {
		return "InternalFailure"
	}
	return exception.Name(se)
}
