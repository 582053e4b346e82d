package service

import (
	"context"

	"sluice"
	"sluice/catalog"
)

// ListRuleTypes lists the rule types of stage conditions of an owner ("" for every owner);
// every one is owned by AWS.
func (s *Service) ListRuleTypes(ctx context.Context, c sluice.Caller, owner string) ([]sluice.RuleType, error) {
	if err := s.allow(ctx, c, actListRuleTypes, anyResource); err != nil {
		return nil, err
	}
	out := []sluice.RuleType{}
	for _, t := range catalog.RuleTypes() {
		if owner == "" || t.ID.Owner == owner {
			out = append(out, t)
		}
	}
	return out, nil
}
