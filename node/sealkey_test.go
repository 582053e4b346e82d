package node_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice/config"
	"sluice/node"
	"sluice/node/nodetest"
	"sluice/sealbox"
)

// dirHolds reports whether any file under dir holds s.
func dirHolds(t *testing.T, dir, s string) []string {
	t.Helper()
	var found []string
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if bytes.Contains(b, []byte(s)) {
			found = append(found, path)
		}
		return nil
	})
	require.NoError(t, err)
	return found
}

// TestEncryptionKey: the root secret the server stores is sealed with a key kept beside the
// data directory, made on first start; a start with another key, or none, fails and says
// which key the database needs.
func TestEncryptionKey(t *testing.T) {
	t.Parallel()
	b := nodetest.Setup(t)
	cfg := b.Node.Config
	fi, err := os.Stat(cfg.EncryptionKeyFile)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	require.Equal(t, cfg.DataDir+config.KeyFileSuffix, cfg.EncryptionKeyFile)
	keys, err := sealbox.ReadFile(cfg.EncryptionKeyFile)
	require.NoError(t, err)
	require.NoError(t, b.Node.Close())
	require.Empty(t, dirHolds(t, cfg.DataDir, nodetest.Secret), "the root secret is stored sealed")

	// The subtests start servers on one data directory in turn (it has one lock): not parallel.
	t.Run("AnotherKeyRefused", func(t *testing.T) {
		other := cfg
		other.EncryptionKeyFile = filepath.Join(t.TempDir(), "other-key")
		_, err := sealbox.CreateFile(other.EncryptionKeyFile)
		require.NoError(t, err)
		_, err = node.New(context.Background(), other, node.Options{})
		require.ErrorContains(t, err, "encrypted with key "+keys[0].ID)
		require.ErrorContains(t, err, other.EncryptionKeyFile)
	})
	t.Run("MissingKeyRefusedAndNotMade", func(t *testing.T) {
		missing := cfg
		missing.EncryptionKeyFile = filepath.Join(t.TempDir(), "none")
		_, err := node.New(context.Background(), missing, node.Options{})
		require.ErrorContains(t, err, "encrypted with key "+keys[0].ID)
		require.NoFileExists(t, missing.EncryptionKeyFile, "a key made for a database it cannot open is removed")
	})
	t.Run("KeyFromEnvironment", func(t *testing.T) {
		text, err := os.ReadFile(cfg.EncryptionKeyFile)
		require.NoError(t, err)
		env := cfg
		env.EncryptionKeyFile, env.EncryptionKey = filepath.Join(t.TempDir(), "unused"), string(text)
		n, err := node.New(context.Background(), env, node.Options{})
		require.NoError(t, err)
		require.NoError(t, n.Close())
		require.NoFileExists(t, env.EncryptionKeyFile)
	})
	t.Run("KeyFileInsideDataDirRefused", func(t *testing.T) {
		inside := cfg
		inside.EncryptionKeyFile = filepath.Join(cfg.DataDir, "key")
		_, err := node.New(context.Background(), inside, node.Options{})
		require.ErrorContains(t, err, "inside the data directory")
	})
}
