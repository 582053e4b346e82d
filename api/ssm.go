package api

import (
	"context"
	"errors"

	"sluice"
	"sluice/service"
)

// The Parameter Store subset of SSM: PutParameter, GetParameter, GetParameters,
// GetParametersByPath and DeleteParameter. Member violations are ValidationException, as
// SSM answers them.
const ssmTarget = "AmazonSSM."

var (
	paramNameRule    = rule{min: 1, max: 2048}
	paramDescRule    = rule{max: 1024, quiet: true}
	paramValueRule   = rule{max: 8192, quiet: true}
	paramTypeRule    = rule{enum: []string{sluice.ParamString, sluice.ParamStringList, sluice.ParamSecureString}}
	paramKeyRule     = rule{min: 1, max: 256}
	paramPatternRule = rule{max: 1024}
	paramTierRule    = rule{enum: []string{"Standard", "Advanced", "Intelligent-Tiering"}}
	paramDataRule    = rule{max: 128}
	paramNextRule    = rule{max: 2048, quiet: true}
)

func (s *Server) ssmRoutes(out map[string]handler) {
	for k, h := range map[string]handler{
		"PutParameter":        s.putParameter,
		"GetParameter":        s.getParameter,
		"GetParameters":       s.getParameters,
		"GetParametersByPath": s.getParametersByPath,
		"DeleteParameter":     s.deleteParameter,
	} {
		out[ssmTarget+k] = h
	}
}

// parameterOut is the model's Parameter.
type parameterOut struct {
	Name             string `json:"Name"`
	Type             string `json:"Type"`
	Value            string `json:"Value"`
	Version          int64  `json:"Version"`
	Selector         string `json:"Selector,omitempty"`
	LastModifiedDate *epoch `json:"LastModifiedDate,omitempty"`
	ARN              string `json:"ARN"`
	DataType         string `json:"DataType"`
}

func (s *Server) parameterOut(p *sluice.Parameter) parameterOut {
	return parameterOut{Name: p.Name, Type: p.Type, Value: p.Value, Version: p.Version, LastModifiedDate: ts(p.Modified),
		ARN: s.Service.Scope().ARN(sluice.ParameterARN, trimSlash(p.Name)), DataType: p.DataType}
}

func trimSlash(name string) string {
	if len(name) > 0 && name[0] == '/' {
		return name[1:]
	}
	return name
}

func (s *Server) putParameter(ctx context.Context, c *call) (any, error) {
	var in struct {
		Name           string      `json:"Name"`
		Description    string      `json:"Description"`
		Value          *string     `json:"Value"`
		Type           string      `json:"Type"`
		KeyID          string      `json:"KeyId"`
		Overwrite      bool        `json:"Overwrite"`
		AllowedPattern string      `json:"AllowedPattern"`
		Tags           []secretTag `json:"Tags"`
		Tier           string      `json:"Tier"`
		Policies       string      `json:"Policies"`
		DataType       string      `json:"DataType"`
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	var m members
	m.need("Name", in.Name, paramNameRule)
	m.opt("Description", in.Description, paramDescRule)
	if in.Value == nil {
		m.null("Value")
	} else {
		m.present("Value", *in.Value, paramValueRule)
	}
	m.opt("Type", in.Type, paramTypeRule)
	m.opt("KeyId", in.KeyID, paramKeyRule)
	m.opt("AllowedPattern", in.AllowedPattern, paramPatternRule)
	m.opt("Tier", in.Tier, paramTierRule)
	m.opt("DataType", in.DataType, paramDataRule)
	m.atMost("Tags", len(in.Tags), 1000)
	if err := m.err(); err != nil {
		return nil, err
	}
	if in.Policies != "" {
		return nil, sluice.Errorf(sluice.EInvalid, "", "Sluice does not keep parameter policies: put the parameter without Policies.")
	}
	tags := make([]sluice.Tag, 0, len(in.Tags))
	for _, t := range in.Tags {
		tags = append(tags, sluice.Tag(t))
	}
	p, err := s.Service.PutParameter(ctx, c.caller, service.PutParameterParams{Name: in.Name, Value: *in.Value, Type: in.Type,
		Description: in.Description, KeyID: in.KeyID, AllowedPattern: in.AllowedPattern, Tier: in.Tier, DataType: in.DataType,
		Overwrite: in.Overwrite, Tags: tags})
	if err != nil {
		return nil, err
	}
	return struct {
		Version int64  `json:"Version"`
		Tier    string `json:"Tier"`
	}{p.Version, p.Tier}, nil
}

func (s *Server) getParameter(ctx context.Context, c *call) (any, error) {
	var in struct {
		Name           string `json:"Name"`
		WithDecryption bool   `json:"WithDecryption"`
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	var m members
	m.need("Name", in.Name, paramNameRule)
	if err := m.err(); err != nil {
		return nil, err
	}
	p, err := s.Service.GetParameter(ctx, c.caller, in.Name, in.WithDecryption)
	if err != nil {
		return nil, err
	}
	out := s.parameterOut(p)
	if _, sel, ok := cutSelector(in.Name); ok {
		out.Selector = sel
	}
	return struct {
		Parameter parameterOut `json:"Parameter"`
	}{out}, nil
}

// cutSelector splits "name:3" into the name and ":3".
func cutSelector(ref string) (string, string, bool) {
	for i := len(ref) - 1; i >= 0 && ref[i] != '/'; i-- {
		if ref[i] == ':' && !isARN(ref) {
			return ref[:i], ref[i:], true
		}
	}
	return ref, "", false
}

func isARN(s string) bool { return len(s) > 4 && s[:4] == "arn:" }

func (s *Server) getParameters(ctx context.Context, c *call) (any, error) {
	var in struct {
		Names          []string `json:"Names"`
		WithDecryption bool     `json:"WithDecryption"`
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	var m members
	if len(in.Names) == 0 {
		m.fail("", "Names", "Member must have length greater than or equal to 1")
	}
	m.atMost("Names", len(in.Names), 10)
	for _, n := range in.Names {
		m.present("Names.member", n, paramNameRule)
	}
	if err := m.err(); err != nil {
		return nil, err
	}
	ps, invalid, err := s.Service.GetParameters(ctx, c.caller, in.Names, in.WithDecryption)
	if err != nil {
		return nil, err
	}
	out := make([]parameterOut, 0, len(ps))
	for _, p := range ps {
		out = append(out, s.parameterOut(p))
	}
	return struct {
		Parameters        []parameterOut `json:"Parameters"`
		InvalidParameters []string       `json:"InvalidParameters"`
	}{out, nonNil(invalid)}, nil
}

type paramFilter struct {
	Key    string   `json:"Key"`
	Option string   `json:"Option"`
	Values []string `json:"Values"`
}

func (s *Server) getParametersByPath(ctx context.Context, c *call) (any, error) {
	var in struct {
		Path             string        `json:"Path"`
		Recursive        bool          `json:"Recursive"`
		WithDecryption   bool          `json:"WithDecryption"`
		MaxResults       *int          `json:"MaxResults"`
		NextToken        string        `json:"NextToken"`
		ParameterFilters []paramFilter `json:"ParameterFilters"`
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	var m members
	m.need("Path", in.Path, paramNameRule)
	m.between("MaxResults", in.MaxResults, 1, 10)
	m.opt("NextToken", in.NextToken, paramNextRule)
	if err := m.err(); err != nil {
		return nil, err
	}
	p := service.ParametersByPathParams{Path: in.Path, Recursive: in.Recursive, Decrypt: in.WithDecryption,
		Page: sluice.Page{Token: in.NextToken, Limit: 10}}
	if in.MaxResults != nil {
		p.Page.Limit = *in.MaxResults
	}
	for _, f := range in.ParameterFilters {
		if f.Key != "Type" {
			return nil, &protocolError{Name: "InvalidFilterKey", Message: "Sluice filters GetParametersByPath by Type only; " + f.Key + " is not a filter key it knows."}
		}
		if f.Option != "" && f.Option != "Equals" {
			return nil, &protocolError{Name: "InvalidFilterOption", Message: "The filter option " + f.Option + " is not valid for key Type. Valid options include: [Equals]."}
		}
		p.Types = append(p.Types, f.Values...)
	}
	ps, next, err := s.Service.GetParametersByPath(ctx, c.caller, p)
	var se *sluice.Error
	if errors.As(err, &se) && se.Code == sluice.EInvalid && se.Resource == "NextToken" {
		se.Resource = "SSMNextToken"
	}
	if err != nil {
		return nil, err
	}
	out := make([]parameterOut, 0, len(ps))
	for _, q := range ps {
		out = append(out, s.parameterOut(q))
	}
	return struct {
		Parameters []parameterOut `json:"Parameters"`
		NextToken  string         `json:"NextToken,omitempty"`
	}{out, next}, nil
}

func (s *Server) deleteParameter(ctx context.Context, c *call) (any, error) {
	var in struct {
		Name string `json:"Name"`
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	var m members
	m.need("Name", in.Name, paramNameRule)
	if err := m.err(); err != nil {
		return nil, err
	}
	return struct{}{}, s.Service.DeleteParameter(ctx, c.caller, in.Name)
}
