package service

import (
	"context"
	"time"

	"sluice"
)

// UpdateSecretParams changes a secret's description or key (nil: unchanged), and adds a
// value as AWSCURRENT when one is given.
type UpdateSecretParams struct {
	SecretID    string
	Description *string
	KmsKeyID    *string
	Token       string
	Value       SecretValue
}

// UpdateSecret applies p; it returns the new version's id when p gives a value.
func (s *Service) UpdateSecret(ctx context.Context, c sluice.Caller, p UpdateSecretParams) (*sluice.Secret, string, error) {
	if err := p.Value.check(); err != nil {
		return nil, "", err
	}
	sec, err := s.secret(ctx, c, actUpdateSecret, p.SecretID)
	if err != nil {
		return nil, "", err
	}
	if err := refuseDeleted(sec); err != nil {
		return nil, "", err
	}
	if p.Description != nil {
		sec.Description = *p.Description
	}
	if p.KmsKeyID != nil {
		sec.KmsKeyID = *p.KmsKeyID
	}
	now := s.Now()
	sec.Changed = now
	var versionID string
	err = s.Store.InTx(ctx, func(x sluice.Executor) error {
		if err := x.UpdateSecret(ctx, sec); err != nil {
			return err
		}
		if !p.Value.given() {
			return nil
		}
		v := p.Value.version(s.token(p.Token), now, []string{sluice.StageCurrent})
		versionID = v.ID
		return s.addVersion(ctx, x, sec, v)
	})
	if err != nil {
		return nil, "", err
	}
	return sec, versionID, nil
}

// DeleteSecretParams schedules a deletion (after RecoveryDays, 30 when nil) or, with Force,
// deletes at once.
type DeleteSecretParams struct {
	SecretID     string
	RecoveryDays *int
	Force        bool
}

// DeleteSecret schedules or makes the deletion and returns its date.
func (s *Service) DeleteSecret(ctx context.Context, c sluice.Caller, p DeleteSecretParams) (*sluice.Secret, error) {
	switch {
	case p.Force && p.RecoveryDays != nil:
		return nil, secretErr("SecretParameter", "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.")
	case p.RecoveryDays != nil && (*p.RecoveryDays < 7 || *p.RecoveryDays > 30):
		return nil, secretErr("SecretParameter", "The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).")
	}
	sec, err := s.secret(ctx, c, actDeleteSecret, p.SecretID)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	if p.Force {
		sec.Deleted = now
		return sec, s.Store.DeleteSecret(ctx, sec.ARN)
	}
	if !sec.Deleted.IsZero() {
		return nil, secretErr("SecretRequest", msgMarkedDeleted)
	}
	days := 30
	if p.RecoveryDays != nil {
		days = *p.RecoveryDays
	}
	sec.Deleted = now.Add(time.Duration(days) * 24 * time.Hour)
	return sec, s.Store.UpdateSecret(ctx, sec)
}

// SecretInfo is a secret as DescribeSecret and ListSecrets show it.
type SecretInfo struct {
	*sluice.Secret
	Tags     map[string]string
	Versions []*sluice.SecretVersion // without values
}

// DescribeSecret returns a secret's details (a secret scheduled for deletion too).
func (s *Service) DescribeSecret(ctx context.Context, c sluice.Caller, id string) (*SecretInfo, error) {
	sec, err := s.secret(ctx, c, actDescribeSecret, id)
	if err != nil {
		return nil, err
	}
	return s.secretInfo(ctx, sec)
}

func (s *Service) secretInfo(ctx context.Context, sec *sluice.Secret) (*SecretInfo, error) {
	tags, err := s.Store.ListTags(ctx, sec.ARN)
	if err != nil {
		return nil, err
	}
	vs, err := s.Store.SecretVersions(ctx, sec.ARN)
	if err != nil {
		return nil, err
	}
	return &SecretInfo{Secret: sec, Tags: tags, Versions: vs}, nil
}

// ListSecrets returns one page of secrets by name; those scheduled for deletion only when
// withDeleted (pages may then be short, as AWS's are).
func (s *Service) ListSecrets(ctx context.Context, c sluice.Caller, page sluice.Page, withDeleted bool) ([]*SecretInfo, string, error) {
	if err := s.allow(ctx, c, actListSecrets, anyResource); err != nil {
		return nil, "", err
	}
	secs, next, err := s.Store.ListSecrets(ctx, page)
	if err != nil {
		return nil, "", err
	}
	out := make([]*SecretInfo, 0, len(secs))
	for _, sec := range secs {
		if !sec.Deleted.IsZero() && (!withDeleted || !s.Now().Before(sec.Deleted)) {
			continue
		}
		info, err := s.secretInfo(ctx, sec)
		if err != nil {
			return nil, "", err
		}
		out = append(out, info)
	}
	return out, next, nil
}
