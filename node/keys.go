package node

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"sluice"
	"sluice/config"
)

// rootKey returns the server's root access key: from the configuration when set, else the
// one stored in the data directory, else a new one that is stored and printed once. It
// replaces every other root key, which stops working at once; a key that a rotation
// replaced before is refused, so that a stale configuration cannot bring it back.
func rootKey(ctx context.Context, cfg config.Server, keys sluice.Executor, out io.Writer) (sluice.AccessKey, error) {
	k := sluice.AccessKey{ID: cfg.AccessKeyID, Secret: cfg.SecretAccessKey,
		Principal: sluice.ARNScope{Account: cfg.Account}.ARN(sluice.RootARN, "root"), Created: time.Now().UTC()}
	path := filepath.Join(cfg.DataDir, KeyFile)
	if k.ID == "" {
		stored, err := ReadKey(path)
		switch {
		case err == nil:
			k.ID, k.Secret = stored.ID, stored.Secret
		case errors.Is(err, os.ErrNotExist):
			k.ID, k.Secret = "AKIA"+randomString(16, upperDigits), randomString(40, secretChars)
			if err := WriteKey(path, k); err != nil {
				return k, err
			}
			fmt.Fprintf(out, "Generated the root access key (stored in %s; shown once):\n"+
				"  export AWS_ACCESS_KEY_ID=%s\n  export AWS_SECRET_ACCESS_KEY=%s\n", path, k.ID, k.Secret)
		default:
			return k, fmt.Errorf("read %s: %w", path, err)
		}
	}
	return k, installRootKey(ctx, keys, &k)
}

// installRootKey stores k as the only root key (keeping its status if it is stored already).
func installRootKey(ctx context.Context, keys sluice.Executor, k *sluice.AccessKey) error {
	stored, err := keys.GetAccessKey(ctx, k.ID)
	switch {
	case err == nil && stored.Status == sluice.KeyRetired:
		return fmt.Errorf("the root access key %s was replaced by a newer one (aws iam create-access-key); "+
			"configure the current root key, or remove the setting to use the one in the data directory", k.ID)
	case err == nil:
		k.Status = stored.Status
	case !sluice.IsCode(err, sluice.ENotFound):
		return err
	}
	if err := keys.PutAccessKey(ctx, k); err != nil {
		return err
	}
	return keys.RetireRootKeys(ctx, k.ID)
}

// rootKeyRotated keeps the key file for `sluice credentials` current after a rotation
// through the API (a configured key is the operator's to change).
func (n *Node) rootKeyRotated(k sluice.AccessKey) {
	if n.Config.AccessKeyID != "" {
		n.Log.Warn("the root access key was rotated: configure the new one before the next start", "access_key_id", k.ID)
		return
	}
	if err := WriteKey(filepath.Join(n.Config.DataDir, KeyFile), k); err != nil {
		n.Log.Error("write the rotated root key", "err", err)
	}
}

// KeyFile is the file in the data directory holding the generated root access key.
const KeyFile = "root-access-key.json"

// StoredKey is the root access key as KeyFile holds it.
type StoredKey struct {
	ID     string `json:"accessKeyId"`
	Secret string `json:"secretAccessKey"`
}

// ReadKey reads a stored root access key.
func ReadKey(path string) (StoredKey, error) {
	var k StoredKey
	b, err := os.ReadFile(path)
	if err != nil {
		return k, err
	}
	if err := json.Unmarshal(b, &k); err != nil || k.ID == "" || k.Secret == "" {
		return k, fmt.Errorf("%s is not a stored access key; remove it to generate a new one", path)
	}
	return k, nil
}

// WriteKey stores a root access key at path, replacing the file atomically.
func WriteKey(path string, k sluice.AccessKey) error {
	b, _ := json.Marshal(StoredKey{k.ID, k.Secret})
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

const (
	upperDigits = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	secretChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789" // URL-safe: git clone URLs carry it
)

func randomString(n int, alphabet string) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	var sb strings.Builder
	for _, c := range b {
		sb.WriteByte(alphabet[int(c)%len(alphabet)])
	}
	return sb.String()
}
