package api

import (
	"context"

	"sluice"
)

func (s *Server) listActionTypes(ctx context.Context, c *call) (any, error) {
	var in struct {
		ActionOwnerFilter string `json:"actionOwnerFilter"`
		NextToken         string `json:"nextToken"`
		RegionFilter      string `json:"regionFilter"`
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	var m members
	m.opt("actionOwnerFilter", in.ActionOwnerFilter, ownerFilterRule)
	m.opt("nextToken", in.NextToken, nextTokenRule)
	m.opt("regionFilter", in.RegionFilter, regionRule)
	if err := m.err(); err != nil {
		return nil, err
	}
	if in.NextToken != "" {
		return nil, sluice.Errorf(sluice.EInvalid, "NextToken", "The next token %q was not issued by this server.", in.NextToken)
	}
	types, err := s.Service.ListActionTypes(ctx, c.caller, in.ActionOwnerFilter)
	if err != nil {
		return nil, err
	}
	return struct {
		ActionTypes []sluice.ActionType `json:"actionTypes"`
	}{types}, nil
}

func (s *Server) getActionType(ctx context.Context, c *call) (any, error) {
	var in sluice.ActionTypeID
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	var m members
	m.need("category", in.Category, categoryRule)
	m.need("owner", in.Owner, ownerRule)
	m.need("provider", in.Provider, providerRule)
	m.need("version", in.Version, versionRule)
	if err := m.err(); err != nil {
		return nil, err
	}
	t, d, err := s.Service.ActionTypeDeclaration(ctx, c.caller, in)
	if err != nil {
		return nil, err
	}
	return map[string]any{"actionType": declare(t, d)}, nil
}
