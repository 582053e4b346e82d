package api

import (
	"context"
	"net/url"

	"sluice"
	"sluice/service"
	"sluice/validate"
)

// functionsTarget prefixes Sluice's operations on the HTTP functions that Invoke/AWS/Lambda
// actions name in FunctionName. They have no AWS model: Lambda functions are created in
// Lambda, not in CodePipeline; these register where Sluice reaches a function instead.
const functionsTarget = "SluiceFunctions_20261129."

var (
	// functionNameRule takes Lambda's names and ARNs (with a qualifier), so a pipeline from
	// AWS finds its function by the FunctionName it already has.
	functionNameRule   = rule{min: 1, max: 140, pattern: validate.NewPattern(`[A-Za-z0-9_.:$-]+`)}
	functionURLRule    = rule{min: 1, max: 2048}
	functionSecretRule = rule{min: 16, max: 1024, quiet: true}
)

// maskedSecret stands for a function's secret in every answer: it is given once, never read back.
const maskedSecret = "****"

// functionOut is a registered function on the wire.
type functionOut struct {
	Name         string `json:"name"`
	URL          string `json:"url"`
	Secret       string `json:"secret"`
	Created      *epoch `json:"created,omitempty"`
	LastModified *epoch `json:"lastModified,omitempty"`
}

func functionWire(f *sluice.Function) functionOut {
	return functionOut{Name: f.Name, URL: f.URL, Secret: maskedSecret, Created: ts(f.Created), LastModified: ts(f.LastModified)}
}

// putFunction registers a function, or replaces the one of the same name (URL and secret).
func (s *Server) putFunction(ctx context.Context, c *call) (any, error) {
	var in struct {
		Name   string `json:"name"`
		URL    string `json:"url"`
		Secret string `json:"secret"`
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	var m members
	m.need("name", in.Name, functionNameRule)
	m.need("url", in.URL, functionURLRule)
	if in.URL != "" && !httpURL(in.URL) {
		m.fail("'"+in.URL+"'", "url", "Member must be an absolute http or https URL")
	}
	m.need("secret", in.Secret, functionSecretRule)
	if err := m.err(); err != nil {
		return nil, err
	}
	f, err := s.Service.PutFunction(ctx, c.caller, service.FunctionParams{Name: in.Name, URL: in.URL, Secret: in.Secret})
	if err != nil {
		return nil, err
	}
	return map[string]any{"function": functionWire(f)}, nil
}

// httpURL reports whether u is an absolute http or https URL with a host.
func httpURL(u string) bool {
	p, err := url.Parse(u)
	return err == nil && (p.Scheme == "http" || p.Scheme == "https") && p.Host != ""
}

func (s *Server) getFunction(ctx context.Context, c *call) (any, error) {
	name, err := functionName(c)
	if err != nil {
		return nil, err
	}
	f, err := s.Service.GetFunction(ctx, c.caller, name)
	if err != nil {
		return nil, err
	}
	return map[string]any{"function": functionWire(f)}, nil
}

func (s *Server) listFunctions(ctx context.Context, c *call) (any, error) {
	page, err := pageCall(c, 100)
	if err != nil {
		return nil, err
	}
	fs, next, err := s.Service.ListFunctions(ctx, c.caller, page)
	if err != nil {
		return nil, err
	}
	out := struct {
		Functions []functionOut `json:"functions"`
		NextToken string        `json:"nextToken,omitempty"`
	}{Functions: []functionOut{}, NextToken: next}
	for _, f := range fs {
		out.Functions = append(out.Functions, functionWire(f))
	}
	return out, nil
}

func (s *Server) deleteFunction(ctx context.Context, c *call) (any, error) {
	name, err := functionName(c)
	if err != nil {
		return nil, err
	}
	return nil, s.Service.DeleteFunction(ctx, c.caller, name)
}

// functionName reads and checks the request of an operation on one function.
func functionName(c *call) (string, error) { return nameCall(c, functionNameRule) }
