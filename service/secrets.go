package service

import (
	"context"
	"crypto/rand"
	"strings"
	"time"

	"sluice"
)

// Secrets Manager's messages for the states a request may find a secret in.
const (
	msgNotFound         = "Secrets Manager can't find the specified secret."
	msgMarkedDeleted    = "You can't perform this operation on the secret because it was marked for deletion."
	msgBothValues       = "You can't specify both a binary secret value and a string secret value in the same secret."
	msgVersionImmutable = "You can't modify an existing version, you can only create a new version."
)

// secretErr is an error Secrets Manager names (InvalidParameterException, InvalidRequestException).
func secretErr(resource, format string, args ...any) error {
	return sluice.Errorf(sluice.EInvalid, resource, format, args...)
}

// SecretValue is a value given to CreateSecret, PutSecretValue or UpdateSecret: a string, a
// binary, or (neither set) none.
type SecretValue struct {
	String    *string
	Binary    []byte
	HasBinary bool
}

func (v SecretValue) given() bool { return v.String != nil || v.HasBinary }

func (v SecretValue) check() error {
	if v.String != nil && v.HasBinary {
		return secretErr("SecretParameter", msgBothValues)
	}
	return nil
}

func (v SecretValue) version(id string, now time.Time, stages []string) *sluice.SecretVersion {
	out := &sluice.SecretVersion{ID: id, Binary: v.Binary, IsBinary: v.HasBinary, Stages: stages, Created: now}
	if v.String != nil {
		out.String = *v.String
	}
	return out
}

// CreateSecretParams creates a secret, with its first value when Value is given.
type CreateSecretParams struct {
	Name, Description, KmsKeyID string
	Token                       string // the first version's id ("" mints one)
	Value                       SecretValue
	Tags                        []sluice.Tag
}

// CreateSecret creates a secret under a new ARN (the name and 6 random characters), with
// its first version labelled AWSCURRENT when a value is given.
func (s *Service) CreateSecret(ctx context.Context, c sluice.Caller, p CreateSecretParams) (*sluice.Secret, string, error) {
	if err := p.Value.check(); err != nil {
		return nil, "", err
	}
	if err := CheckTags(p.Tags); err != nil {
		return nil, "", secretErr("SecretParameter", "%s", err.Error()) // Secrets Manager has no tag exception
	}
	now := s.Now()
	sec := &sluice.Secret{ARN: s.Scope().ARN(sluice.SecretARN, p.Name+"-"+s.secretSuffix()), Name: p.Name,
		Description: p.Description, KmsKeyID: p.KmsKeyID, Created: now, Changed: now}
	if err := s.allow(ctx, c, actCreateSecret, sec.ARN); err != nil {
		return nil, "", err
	}
	var versionID string
	err := s.Store.InTx(ctx, func(x sluice.Executor) error {
		if old, err := x.GetSecret(ctx, p.Name); err == nil && !old.Deleted.IsZero() {
			return secretErr("SecretRequest", "You can't create this secret because a secret with this name is already scheduled for deletion.")
		}
		if err := x.CreateSecret(ctx, sec); err != nil {
			return err
		}
		if err := x.TagResource(ctx, sec.ARN, tagMap(p.Tags)); err != nil {
			return err
		}
		if !p.Value.given() {
			return nil
		}
		versionID = s.token(p.Token)
		return x.PutSecretVersion(ctx, sec.ARN, p.Value.version(versionID, now, []string{sluice.StageCurrent}))
	})
	if err != nil {
		return nil, "", err
	}
	return sec, versionID, nil
}

// token is a client request token, or a new one.
func (s *Service) token(t string) string {
	if t != "" {
		return t
	}
	return s.IDs.NewID()
}

// secretSuffix is the 6 characters that end a new secret's ARN: random letters and digits.
func (s *Service) secretSuffix() string {
	if s.SecretSuffix != nil {
		return s.SecretSuffix()
	}
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// secret finds the secret id names (full ARN, name, or partial ARN without the suffix), after
// asking whether the caller may do action on it. A secret whose deletion date has passed is
// removed now and not found.
func (s *Service) secret(ctx context.Context, c sluice.Caller, action, id string) (*sluice.Secret, error) {
	sec, err := s.findSecret(ctx, id)
	if sluice.IsCode(err, sluice.ENotFound) {
		// The caller learns that a secret does not exist only if it may act on that name.
		if err := s.allow(ctx, c, action, secretResource(s, id)); err != nil {
			return nil, err
		}
		return nil, err
	}
	if err != nil {
		return nil, err
	}
	if err := s.allow(ctx, c, action, sec.ARN); err != nil {
		return nil, err
	}
	return sec, nil
}

func (s *Service) findSecret(ctx context.Context, id string) (*sluice.Secret, error) {
	sec, err := s.Store.GetSecret(ctx, id)
	if sluice.IsCode(err, sluice.ENotFound) && strings.HasPrefix(id, "arn:") {
		// A partial ARN: the secret's ARN without its suffix.
		if name, ok := s.Scope().ID(sluice.SecretARN, id); ok {
			if sec, err = s.Store.GetSecret(ctx, name); err == nil && !strings.HasPrefix(sec.ARN, id+"-") {
				sec, err = nil, notFoundSecret()
			}
		}
	}
	if err != nil {
		return nil, err
	}
	if !sec.Deleted.IsZero() && !s.Now().Before(sec.Deleted) {
		if err := s.Store.DeleteSecret(ctx, sec.ARN); err != nil && !sluice.IsCode(err, sluice.ENotFound) {
			return nil, err
		}
		return nil, notFoundSecret()
	}
	return sec, nil
}

// secretResource is the resource a missing secret's id names: the ARN given, or the ARN
// (without suffix) of the name given.
func secretResource(s *Service, id string) string {
	if strings.HasPrefix(id, "arn:") {
		return id
	}
	return s.Scope().ARN(sluice.SecretARN, id)
}

func notFoundSecret() error { return sluice.Errorf(sluice.ENotFound, "Secret", msgNotFound) }

func refuseDeleted(sec *sluice.Secret) error {
	if !sec.Deleted.IsZero() {
		return secretErr("SecretRequest", msgMarkedDeleted)
	}
	return nil
}
