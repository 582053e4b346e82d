package service

import (
	"context"
	"strings"

	"sluice"
)

// keyOwner is the user whose keys an operation is about: name, or the caller when name is
// "" (RootUserName for the root).
func (s *Service) keyOwner(c sluice.Caller, name string) string {
	if name == "" && !s.isRoot(c) {
		return s.callerUserName(c)
	}
	return name
}

// keyResource is the ARN key operations are asked on: the owner's.
func (s *Service) keyResource(ctx context.Context, c sluice.Caller, user string) string {
	if user == sluice.RootUserName {
		return s.rootARN()
	}
	return s.userARNOf(ctx, user)
}

// CreateAccessKey makes an access key for a user (at most two each), whose secret is
// answered here and never again. For the root (no user name, root caller) it rotates: the
// new key replaces every root key, which stops signing at once, and RootKeyRotated learns
// of it after the commit.
func (s *Service) CreateAccessKey(ctx context.Context, c sluice.Caller, userName string) (*sluice.AccessKey, error) {
	user := s.keyOwner(c, userName)
	if err := s.allow(ctx, c, "iam:CreateAccessKey", s.keyResource(ctx, c, user)); err != nil {
		return nil, err
	}
	k := &sluice.AccessKey{ID: "AKIA" + randomString(16, base32Upper), Secret: randomString(40, secretChars),
		Created: s.Now(), UserName: user, Status: sluice.KeyActive}
	err := s.inTx(ctx, func(x sluice.Executor) error {
		if user == sluice.RootUserName {
			k.Principal = s.rootARN()
			if err := x.PutAccessKey(ctx, k); err != nil {
				return err
			}
			return x.RetireRootKeys(ctx, k.ID)
		}
		u, err := x.GetUser(ctx, user)
		if err != nil {
			return err
		}
		keys, err := x.UserAccessKeys(ctx, u.Name)
		if err != nil {
			return err
		}
		if len(keys) >= sluice.MaxAccessKeysPerUser {
			return sluice.Errorf(sluice.ELimit, "AccessKeys", "Cannot exceed quota for AccessKeysPerUser: %d", sluice.MaxAccessKeysPerUser)
		}
		k.UserName, k.Principal = u.Name, u.ARN
		return x.PutAccessKey(ctx, k)
	})
	if err != nil {
		return nil, err
	}
	if user == sluice.RootUserName && s.RootKeyRotated != nil {
		s.RootKeyRotated(*k)
	}
	return k, nil
}

// ListAccessKeys lists a user's keys (without their secrets).
func (s *Service) ListAccessKeys(ctx context.Context, c sluice.Caller, userName string, p IAMPage) ([]*sluice.AccessKey, string, error) {
	user := s.keyOwner(c, userName)
	if err := s.allow(ctx, c, "iam:ListAccessKeys", s.keyResource(ctx, c, user)); err != nil {
		return nil, "", err
	}
	if user != sluice.RootUserName {
		if _, err := s.Store.GetUser(ctx, user); err != nil {
			return nil, "", err
		}
	}
	keys, err := s.Store.UserAccessKeys(ctx, user)
	if err != nil {
		return nil, "", err
	}
	for _, k := range keys {
		k.Secret = ""
	}
	return pageOf(keys, func(k *sluice.AccessKey) string { return k.ID }, p)
}

// UpdateAccessKey makes a user's key Active or Inactive; an inactive key is refused from
// its next request on.
func (s *Service) UpdateAccessKey(ctx context.Context, c sluice.Caller, userName, id string, status sluice.KeyStatus) error {
	user := s.keyOwner(c, userName)
	if err := s.allow(ctx, c, "iam:UpdateAccessKey", s.keyResource(ctx, c, user)); err != nil {
		return err
	}
	return s.inTx(ctx, func(x sluice.Executor) error {
		if err := ownedKey(ctx, x, user, id); err != nil {
			return err
		}
		return x.SetAccessKeyStatus(ctx, id, status)
	})
}

// DeleteAccessKey removes a user's key: it never signs again.
func (s *Service) DeleteAccessKey(ctx context.Context, c sluice.Caller, userName, id string) error {
	user := s.keyOwner(c, userName)
	if err := s.allow(ctx, c, "iam:DeleteAccessKey", s.keyResource(ctx, c, user)); err != nil {
		return err
	}
	return s.inTx(ctx, func(x sluice.Executor) error {
		if err := ownedKey(ctx, x, user, id); err != nil {
			return err
		}
		return x.DeleteAccessKey(ctx, id)
	})
}

// ownedKey checks that key id belongs to user (NoSuchEntity otherwise, as for a missing key).
func ownedKey(ctx context.Context, x sluice.Executor, user, id string) error {
	if user != sluice.RootUserName {
		if _, err := x.GetUser(ctx, user); err != nil {
			return err
		}
	}
	k, err := x.GetAccessKey(ctx, id)
	if err == nil && (k.Status == sluice.KeyRetired || !strings.EqualFold(k.UserName, user)) {
		err = sluice.Errorf(sluice.ENotFound, "AccessKey", "The Access Key with id %s cannot be found", id)
	}
	if sluice.IsCode(err, sluice.ENotFound) {
		return sluice.Errorf(sluice.ENotFound, "AccessKey", "The Access Key with id %s cannot be found", id)
	}
	return err
}
