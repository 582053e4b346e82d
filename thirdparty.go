package sluice

import (
	"context"
	"time"
)

// ThirdPartyClient is the clientId/clientToken pair through which a partner's job worker
// serves a ThirdParty (partner) action type (SEMANTICS §9.3). CodePipeline provisions the
// pair out of band; Sluice mints it when an operator registers the partner type, one
// client per type: every job of the type carries the client's id, and every call about
// such a job must bring the client's token. Only the token's SHA-256 is kept.
type ThirdPartyClient struct {
	ID        string // a UUID, the model's ClientId
	Type      ActionTypeID
	TokenHash string // hex SHA-256 of the clientToken
	Created   time.Time
}

// ThirdPartyClientStore keeps the clients of partner action types.
type ThirdPartyClientStore interface {
	// PutThirdPartyClient stores c as its type's client, replacing the type's previous
	// client (whose token then no longer answers).
	PutThirdPartyClient(ctx context.Context, c *ThirdPartyClient) error
	// GetThirdPartyClient returns the client of a type (ENotFound/ThirdPartyClient).
	GetThirdPartyClient(ctx context.Context, t ActionTypeID) (*ThirdPartyClient, error)
}
