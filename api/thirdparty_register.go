package api

import (
	"context"

	"sluice"
)

// partnerTarget is the prefix of Sluice's partner type operation: what CodePipeline's
// service team does out of band for a partner (SEMANTICS §9.3), a Sluice operator does with
// RegisterPartnerActionType (`sluice partner-types register`).
const partnerTarget = "SluicePartners_20261207."

func (s *Server) partnerRoutes(out map[string]handler) {
	out[partnerTarget+"RegisterPartnerActionType"] = s.registerPartnerActionType
}

// registerPartnerActionType takes CreateCustomActionType's members (tags aside) for a
// ThirdParty type and answers the type with its client's new clientId and clientToken,
// which no later answer shows again.
func (s *Server) registerPartnerActionType(ctx context.Context, c *call) (any, error) {
	var in customActionTypeIn
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	if err := in.check(); err != nil {
		return nil, err
	}
	if len(in.Tags) > 0 {
		return nil, sluice.Errorf(sluice.EInvalid, "", "A partner action type takes no tags.")
	}
	t := in.actionType()
	t.ID.Owner = sluice.OwnerThirdParty
	created, client, err := s.Service.RegisterPartnerActionType(ctx, c.caller, t)
	if err != nil {
		return nil, err
	}
	return map[string]any{"actionType": created, "clientId": client.ClientID, "clientToken": client.ClientToken}, nil
}
