package api

import (
	"context"

	"sluice"
)

var ruleOwnerRule = modelRule("RuleOwner")

func (s *Server) listRuleTypes(ctx context.Context, c *call) (any, error) {
	var in struct {
		RuleOwnerFilter string `json:"ruleOwnerFilter"`
		RegionFilter    string `json:"regionFilter"`
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	var m members
	m.opt("ruleOwnerFilter", in.RuleOwnerFilter, ruleOwnerRule)
	m.opt("regionFilter", in.RegionFilter, regionRule)
	if err := m.err(); err != nil {
		return nil, err
	}
	types, err := s.Service.ListRuleTypes(ctx, c.caller, in.RuleOwnerFilter)
	if err != nil {
		return nil, err
	}
	return struct {
		RuleTypes []sluice.RuleType `json:"ruleTypes"`
	}{types}, nil
}
