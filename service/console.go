package service

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"time"

	"sluice"
)

// DefaultSessionTTL is how long a console session lasts when the operator sets nothing: a
// working day, as AWS's console sessions.
const DefaultSessionTTL = 12 * time.Hour

// errSignIn is the one answer to a sign-in that fails, whatever failed, so that the form does
// not tell which key ids exist.
var errSignIn = sluice.Errorf(sluice.EAccessDenied, "", "Sign-in failed: the access key id or the secret is wrong, or the key is not active.")

// CheckSignIn checks an access key id and secret for a sign-in: the key must exist, be
// active and have that secret. Any failure is the same EAccessDenied.
func (s *Service) CheckSignIn(ctx context.Context, keyID, secret string) (*sluice.AccessKey, error) {
	k, err := s.Store.GetAccessKey(ctx, keyID)
	if err != nil || (k.Status != "" && k.Status != sluice.KeyActive) ||
		subtle.ConstantTimeCompare([]byte(k.Secret), []byte(secret)) != 1 {
		return nil, errSignIn
	}
	return k, nil
}

// SignIn starts a console session acting as k (which CheckSignIn returned), lasting ttl (0:
// DefaultSessionTTL). It returns the token for the browser's cookie.
func (s *Service) SignIn(ctx context.Context, k *sluice.AccessKey, ttl time.Duration) (string, *sluice.ConsoleSession, error) {
	if ttl <= 0 {
		ttl = DefaultSessionTTL
	}
	var raw [32]byte
	_, _ = rand.Read(raw[:]) // never fails (crypto/rand)
	token := base64.RawURLEncoding.EncodeToString(raw[:])
	now := s.Now()
	sess := &sluice.ConsoleSession{ID: sessionID(token), AccessKeyID: k.ID, Principal: k.Principal, Created: now, Expires: now.Add(ttl)}
	if err := s.Store.PutConsoleSession(ctx, sess); err != nil {
		return "", nil, err
	}
	return token, sess, nil
}

// ConsoleCaller returns the caller a console session's token acts as: from the request's
// address and agent, with the session's key. A token of no session, an expired session or
// one whose key is no longer active is EAccessDenied.
func (s *Service) ConsoleCaller(ctx context.Context, token string, from sluice.Caller) (sluice.Caller, *sluice.ConsoleSession, error) {
	denied := sluice.Errorf(sluice.EAccessDenied, "", "Your console session has ended: sign in again.")
	if token == "" {
		return sluice.Caller{}, nil, denied
	}
	sess, err := s.Store.GetConsoleSession(ctx, sessionID(token))
	if sluice.ErrorCode(err) == sluice.ENotFound {
		return sluice.Caller{}, nil, denied
	}
	if err != nil {
		return sluice.Caller{}, nil, err
	}
	if !s.Now().Before(sess.Expires) {
		return sluice.Caller{}, nil, denied
	}
	k, err := s.Store.GetAccessKey(ctx, sess.AccessKeyID)
	if err != nil || (k.Status != "" && k.Status != sluice.KeyActive) || k.Principal != sess.Principal {
		return sluice.Caller{}, nil, denied
	}
	from.Principal, from.AccessKeyID = sess.Principal, sess.AccessKeyID
	return from, sess, nil
}

// SignOut ends the session of token.
func (s *Service) SignOut(ctx context.Context, token string) error {
	return s.Store.DeleteConsoleSession(ctx, sessionID(token))
}

// PruneSessions removes the sessions that have expired.
func (s *Service) PruneSessions(ctx context.Context) (int, error) {
	return s.Store.PruneConsoleSessions(ctx, s.Now())
}

func sessionID(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// PipelineControls is which of a pipeline's controls a caller may use: the console offers
// only these. Each is the answer of the policy the operation itself asks.
type PipelineControls struct {
	Release, Stop, Retry, Transitions, Edit, Delete, ViewDefinition, ViewHistory bool
}

// Controls asks the caller's policies about each control of pipeline.
func (s *Service) Controls(ctx context.Context, c sluice.Caller, pipeline string) PipelineControls {
	arn := s.pipelineARN(pipeline)
	may := func(action string) bool { return s.allow(ctx, c, action, arn) == nil }
	return PipelineControls{
		Release: may(actStartPipelineExecution), Stop: may(actStopPipelineExecution),
		Retry: may(actRetryStageExecution), Edit: may(actUpdatePipeline), Delete: may(actDeletePipeline),
		ViewDefinition: may(actGetPipeline), ViewHistory: may(actListPipelineExecutions),
		Transitions: may(actEnableStageTransition) && may(actDisableStageTransition),
	}
}

// StageControls is which of a stage's controls a caller may use: Override lets the stage
// past a condition being evaluated, Rollback rolls it back. They are asked of the stage's
// ARN, as OverrideStageCondition and RollbackStage ask, since a policy may name one stage.
type StageControls struct {
	Override, Rollback bool
}

// StageControls asks the caller's policies about each control of the pipeline's stage.
func (s *Service) StageControls(ctx context.Context, c sluice.Caller, pipeline, stage string) StageControls {
	arn := s.stageARN(pipeline, stage)
	return StageControls{Override: s.allow(ctx, c, actOverrideStageCondition, arn) == nil,
		Rollback: s.allow(ctx, c, actRollbackStage, arn) == nil}
}

// MayApprove reports whether the caller may approve or reject the approval action.
func (s *Service) MayApprove(ctx context.Context, c sluice.Caller, pipeline, stage, action string) bool {
	return s.allow(ctx, c, actPutApprovalResult, s.actionARN(pipeline, stage, action)) == nil
}

// MayCreatePipeline reports whether the caller may create pipelines.
func (s *Service) MayCreatePipeline(ctx context.Context, c sluice.Caller) bool {
	return s.allow(ctx, c, actCreatePipeline, s.pipelineARN("*")) == nil
}
