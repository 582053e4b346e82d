package service

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"time"

	"sluice"
	"sluice/engine"
)

// PartnerClient is a partner type's client as registration answers it: the only time the
// clientToken is shown.
type PartnerClient struct {
	ClientID    string
	ClientToken string
}

// RegisterPartnerActionType registers t as a ThirdParty (partner) action type, or finds
// the same definition registered already, and mints the type's client: a new clientId and
// clientToken, which replace any earlier pair (registering again rotates the token). What
// CodePipeline provisions out of band (SEMANTICS §9.3), a Sluice operator does here.
func (s *Service) RegisterPartnerActionType(ctx context.Context, c sluice.Caller, t sluice.ActionType) (*sluice.ActionType, *PartnerClient, error) {
	t.ID.Owner = sluice.OwnerThirdParty
	if err := s.allow(ctx, c, actRegisterPartnerType, s.actionTypeARN(t.ID)); err != nil {
		return nil, nil, err
	}
	token, err := newClientToken()
	if err != nil {
		return nil, nil, err
	}
	client := &PartnerClient{ClientID: s.IDs.NewID(), ClientToken: token}
	var created *sluice.ActionType
	err = s.Store.InTx(ctx, func(x sluice.Executor) (err error) {
		if created, err = s.Engine.CreatePartnerActionTypeTx(ctx, x, t); err != nil {
			return err
		}
		return x.PutThirdPartyClient(ctx, &sluice.ThirdPartyClient{ID: client.ClientID, Type: created.ID,
			TokenHash: tokenHash(token), Created: s.Now()})
	})
	if err != nil {
		return nil, nil, err
	}
	return created, client, nil
}

func newClientToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// ThirdPartyPollParams is a partner job worker's PollForThirdPartyJobs.
type ThirdPartyPollParams struct {
	Type  sluice.ActionTypeID
	Limit int           // at most 100 jobs are handed out
	Wait  time.Duration // how long to wait for a job when none is queued
}

// ThirdPartyJob is a job handed to a partner job worker, with its type's clientId.
type ThirdPartyJob struct {
	ClientID string
	Job      *sluice.Job
}

// PollForThirdPartyJobs hands the caller, a partner's job worker, queued jobs of an active
// partner action type, each Dispatched with a nonce that GetThirdPartyJobDetails tells.
func (s *Service) PollForThirdPartyJobs(ctx context.Context, c sluice.Caller, p ThirdPartyPollParams) ([]ThirdPartyJob, error) {
	if err := s.allow(ctx, c, actPollForThirdPartyJobs, s.actionTypeARN(p.Type)); err != nil {
		return nil, err
	}
	if err := s.servesJobs(); err != nil {
		return nil, err
	}
	if p.Type.Owner != sluice.OwnerThirdParty {
		return nil, sluice.Errorf(sluice.EInvalid, "", "ActionType with owner '%s' is not supported", p.Type.Owner)
	}
	if !engine.Registered(p.Type) {
		return nil, sluice.Errorf(sluice.EInvalid, "", "Action type %s is run by Sluice itself, not by a partner's job worker.", p.Type)
	}
	if _, ok := s.Lookup(p.Type); !ok {
		return nil, sluice.Errorf(sluice.ENotFound, "ActionType", "Action type %s was not found.", p.Type)
	}
	client, err := s.Store.GetThirdPartyClient(ctx, p.Type)
	if sluice.IsCode(err, sluice.ENotFound) {
		return nil, sluice.Errorf(sluice.ENotFound, "ActionType",
			"Action type %s has no third-party client: an operator registers one with sluice partner-types register.", p.Type)
	}
	if err != nil {
		return nil, err
	}
	jobs, err := s.claim(ctx, sluice.ClaimParams{Worker: sluice.CustomWorker(c.Principal).String(),
		Types: []sluice.ActionTypeID{p.Type}, Limit: p.Limit}, p.Wait)
	if err != nil {
		return nil, err
	}
	out := make([]ThirdPartyJob, 0, len(jobs))
	for _, j := range jobs {
		out = append(out, ThirdPartyJob{ClientID: client.ID, Job: j})
	}
	return out, nil
}

// thirdPartyJob returns a partner action's job when token is its type's clientToken:
// ENotFound/Job for an unknown job or one of another kind, EInvalid/ClientToken otherwise.
func (s *Service) thirdPartyJob(ctx context.Context, id, token string) (*sluice.Job, error) {
	if err := s.servesJobs(); err != nil {
		return nil, err
	}
	j, err := s.Store.GetJob(ctx, id)
	if err != nil {
		return nil, err
	}
	if j.ActionType.Owner != sluice.OwnerThirdParty || !engine.Registered(j.ActionType) {
		return nil, sluice.Errorf(sluice.ENotFound, "Job", "Job %s is not the job of a partner action.", id)
	}
	client, err := s.Store.GetThirdPartyClient(ctx, j.ActionType)
	if err != nil && !sluice.IsCode(err, sluice.ENotFound) {
		return nil, err
	}
	if client == nil || subtle.ConstantTimeCompare([]byte(client.TokenHash), []byte(tokenHash(token))) != 1 {
		return nil, sluice.Errorf(sluice.EInvalid, "ClientToken", "The client token was invalid.")
	}
	return j, nil
}

// GetThirdPartyJob returns a partner action's job, with its nonce once PollForThirdPartyJobs
// handed it out (EInvalid/Job while it is still queued).
func (s *Service) GetThirdPartyJob(ctx context.Context, c sluice.Caller, id, token string) (*sluice.Job, error) {
	if err := s.allow(ctx, c, actGetThirdPartyJob, anyResource); err != nil {
		return nil, err
	}
	j, err := s.thirdPartyJob(ctx, id, token)
	if err != nil {
		return nil, err
	}
	if j.Status == sluice.JobQueued {
		return nil, sluice.Errorf(sluice.EInvalid, "Job", "Job %s has not been handed out by PollForThirdPartyJobs yet.", id)
	}
	return j, nil
}

// AcknowledgeThirdPartyJob moves a dispatched partner job to InProgress, its worker's until
// the action's deadline; a stale nonce, or a job no longer open, gets EInvalidNonce.
func (s *Service) AcknowledgeThirdPartyJob(ctx context.Context, c sluice.Caller, id, nonce, token string) (*sluice.Job, error) {
	if err := s.allow(ctx, c, actAckThirdPartyJob, anyResource); err != nil {
		return nil, err
	}
	j, err := s.thirdPartyJob(ctx, id, token)
	if err != nil {
		return nil, err
	}
	return s.acknowledge(ctx, j, nonce)
}

// PutThirdPartyJobResult hands a partner worker's result to the engine, as PutJobResult
// does for custom workers (partners report no output variables).
func (s *Service) PutThirdPartyJobResult(ctx context.Context, c sluice.Caller, token string, res sluice.JobResult) error {
	action := actPutThirdPartyFailure
	if res.Success {
		action = actPutThirdPartySuccess
	}
	if err := s.allow(ctx, c, action, anyResource); err != nil {
		return err
	}
	j, err := s.thirdPartyJob(ctx, res.JobID, token)
	if err != nil {
		return err
	}
	return s.report(ctx, j, res)
}
