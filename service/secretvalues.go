package service

import (
	"bytes"
	"context"
	"slices"
	"time"

	"sluice"
)

// SecretVersionRef picks a version: by id, by staging label, or (both empty) AWSCURRENT.
type SecretVersionRef struct {
	ID    string
	Stage string
}

// GetSecretValue returns the secret and the version ref picks, with its value.
func (s *Service) GetSecretValue(ctx context.Context, c sluice.Caller, id string, ref SecretVersionRef) (*sluice.Secret, *sluice.SecretVersion, error) {
	sec, err := s.secret(ctx, c, actGetSecretValue, id)
	if err != nil {
		return nil, nil, err
	}
	if err := refuseDeleted(sec); err != nil {
		return nil, nil, err
	}
	v, err := s.pickVersion(ctx, sec, ref)
	if err != nil {
		return nil, nil, err
	}
	if day := s.Now().UTC().Truncate(24 * time.Hour); !sec.Accessed.Equal(day) {
		sec.Accessed = day // AWS keeps the day of the last access only
		if err := s.Store.UpdateSecret(ctx, sec); err != nil {
			return nil, nil, err
		}
	}
	return sec, v, nil
}

// pickVersion finds the version ref names, with its value.
func (s *Service) pickVersion(ctx context.Context, sec *sluice.Secret, ref SecretVersionRef) (*sluice.SecretVersion, error) {
	stage := ref.Stage
	if ref.ID == "" && stage == "" {
		stage = sluice.StageCurrent
	}
	vs, err := s.Store.SecretVersions(ctx, sec.ARN)
	if err != nil {
		return nil, err
	}
	for _, v := range vs {
		if (ref.ID == "" || v.ID == ref.ID) && (stage == "" || slices.Contains(v.Stages, stage)) {
			return s.Store.SecretValue(ctx, sec.ARN, v.ID)
		}
	}
	if ref.ID != "" && stage != "" {
		return nil, sluice.Errorf(sluice.ENotFound, "Secret", "Secrets Manager can't find the specified secret value for VersionId: %s and staging label: %s", ref.ID, stage)
	}
	if ref.ID != "" {
		return nil, sluice.Errorf(sluice.ENotFound, "Secret", "Secrets Manager can't find the specified secret value for VersionId: %s", ref.ID)
	}
	return nil, sluice.Errorf(sluice.ENotFound, "Secret", "Secrets Manager can't find the specified secret value for staging label: %s", stage)
}

// PutSecretValueParams adds a version to a secret.
type PutSecretValueParams struct {
	SecretID string
	Token    string
	Value    SecretValue
	Stages   []string // nil: AWSCURRENT
}

// PutSecretValue stores a new version and moves its labels to it: AWSCURRENT's previous
// holder becomes AWSPREVIOUS. The same token with the same value again changes nothing;
// with another value it is ResourceExistsException.
func (s *Service) PutSecretValue(ctx context.Context, c sluice.Caller, p PutSecretValueParams) (*sluice.Secret, *sluice.SecretVersion, error) {
	if err := p.Value.check(); err != nil {
		return nil, nil, err
	}
	if !p.Value.given() {
		return nil, nil, secretErr("SecretRequest", "You must provide either SecretString or SecretBinary.")
	}
	sec, err := s.secret(ctx, c, actPutSecretValue, p.SecretID)
	if err != nil {
		return nil, nil, err
	}
	if err := refuseDeleted(sec); err != nil {
		return nil, nil, err
	}
	stages := p.Stages
	if stages == nil {
		stages = []string{sluice.StageCurrent}
	}
	v := p.Value.version(s.token(p.Token), s.Now(), stages)
	err = s.Store.InTx(ctx, func(x sluice.Executor) error { return s.addVersion(ctx, x, sec, v) })
	if err != nil {
		return nil, nil, err
	}
	return sec, v, nil
}

// addVersion stores v (or finds it stored already, with the same value) and moves labels.
func (s *Service) addVersion(ctx context.Context, x sluice.Executor, sec *sluice.Secret, v *sluice.SecretVersion) error {
	if old, err := x.SecretValue(ctx, sec.ARN, v.ID); err == nil {
		if old.IsBinary != v.IsBinary || old.String != v.String || !bytes.Equal(old.Binary, v.Binary) {
			return sluice.Errorf(sluice.EAlreadyExists, "Secret", msgVersionImmutable)
		}
		v.Stages, v.Created = old.Stages, old.Created
		return nil // the same request again
	} else if !sluice.IsCode(err, sluice.ENotFound) {
		return err
	}
	vs, err := x.SecretVersions(ctx, sec.ARN)
	if err != nil {
		return err
	}
	if err := x.PutSecretVersion(ctx, sec.ARN, v); err != nil {
		return err
	}
	if err := moveStages(ctx, x, sec.ARN, vs, v.Stages); err != nil {
		return err
	}
	sec.Changed = v.Created
	return x.UpdateSecret(ctx, sec)
}

// moveStages takes the labels a new version holds from the older versions; the one that
// loses AWSCURRENT takes AWSPREVIOUS.
func moveStages(ctx context.Context, x sluice.Executor, arn string, older []*sluice.SecretVersion, taken []string) error {
	current := slices.Contains(taken, sluice.StageCurrent)
	for _, o := range older {
		var keep []string
		for _, st := range o.Stages {
			if !slices.Contains(taken, st) && !(current && st == sluice.StagePrevious) {
				keep = append(keep, st)
			}
		}
		if current && slices.Contains(o.Stages, sluice.StageCurrent) {
			keep = append(keep, sluice.StagePrevious)
		}
		if !slices.Equal(keep, o.Stages) {
			if err := x.SetSecretStages(ctx, arn, o.ID, keep); err != nil {
				return err
			}
		}
	}
	return nil
}
