package sealbox_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice/sealbox"
)

func TestBox(t *testing.T) {
	t.Parallel()
	k := sealbox.NewKey()
	box, err := sealbox.New(k)
	require.NoError(t, err)
	sealed, err := box.Seal([]byte("hunter2"), []byte("access_keys.secret\x00AKIA1"))
	require.NoError(t, err)

	t.Run("RoundTrip", func(t *testing.T) {
		t.Parallel()
		require.NotContains(t, sealed, "hunter2")
		id, ok := box.SealedWith(sealed)
		require.True(t, ok)
		require.Equal(t, k.ID, id)
		plain, err := box.Open(sealed, []byte("access_keys.secret\x00AKIA1"))
		require.NoError(t, err)
		require.Equal(t, "hunter2", string(plain))
	})
	t.Run("NonceIsFresh", func(t *testing.T) {
		t.Parallel()
		again, err := box.Seal([]byte("hunter2"), []byte("access_keys.secret\x00AKIA1"))
		require.NoError(t, err)
		require.NotEqual(t, sealed, again)
	})
	t.Run("OtherPlaceRefused", func(t *testing.T) {
		t.Parallel()
		_, err := box.Open(sealed, []byte("access_keys.secret\x00AKIA2"))
		require.ErrorContains(t, err, "does not open")
	})
	t.Run("DamagedRefused", func(t *testing.T) {
		t.Parallel()
		b := []byte(sealed)
		b[len(b)-3] ^= 1
		_, err := box.Open(string(b), []byte("access_keys.secret\x00AKIA1"))
		require.Error(t, err)
	})
	t.Run("UnknownKeyNamed", func(t *testing.T) {
		t.Parallel()
		_, err := sealbox.Ephemeral().Open(sealed, []byte("access_keys.secret\x00AKIA1"))
		var unknown *sealbox.UnknownKeyError
		require.ErrorAs(t, err, &unknown)
		require.Equal(t, k.ID, unknown.ID)
	})
	t.Run("WrongKeySameID", func(t *testing.T) {
		t.Parallel()
		keys, err := sealbox.Parse(k.ID + ":" + strings.Repeat("A", 43) + "=")
		require.NoError(t, err)
		other, err := sealbox.New(keys...)
		require.NoError(t, err)
		_, err = other.Open(sealed, []byte("access_keys.secret\x00AKIA1"))
		require.ErrorContains(t, err, "does not open")
	})
	t.Run("PlaintextIsNotSealed", func(t *testing.T) {
		t.Parallel()
		_, ok := box.SealedWith("hunter2")
		require.False(t, ok)
	})
	t.Run("RotatedBoxOpensOldTexts", func(t *testing.T) {
		t.Parallel()
		next := sealbox.NewKey()
		rotated, err := sealbox.New(next, k)
		require.NoError(t, err)
		require.Equal(t, next.ID, rotated.KeyID())
		plain, err := rotated.Open(sealed, []byte("access_keys.secret\x00AKIA1"))
		require.NoError(t, err)
		require.Equal(t, "hunter2", string(plain))
	})
	t.Run("DeriveDependsOnPurposeAndKey", func(t *testing.T) {
		t.Parallel()
		require.Len(t, box.Derive("job credentials"), 32)
		require.Equal(t, box.Derive("job credentials"), box.Derive("job credentials"))
		require.NotEqual(t, box.Derive("job credentials"), box.Derive("other"))
		require.NotEqual(t, box.Derive("job credentials"), sealbox.Ephemeral().Derive("job credentials"))
	})
}

func TestKeyFile(t *testing.T) {
	t.Parallel()
	t.Run("CreateThenRead", func(t *testing.T) {
		t.Parallel()
		path := filepath.Join(t.TempDir(), "conf", "sluice", "key")
		k, err := sealbox.CreateFile(path)
		require.NoError(t, err)
		fi, err := os.Stat(path)
		require.NoError(t, err)
		require.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
		keys, err := sealbox.ReadFile(path)
		require.NoError(t, err)
		require.Len(t, keys, 1)
		require.Equal(t, k.ID, keys[0].ID)
		_, err = sealbox.CreateFile(path)
		require.Error(t, err, "an existing key file is never replaced")
	})
	t.Run("ReadableByOthersRefused", func(t *testing.T) {
		t.Parallel()
		path := filepath.Join(t.TempDir(), "key")
		require.NoError(t, os.WriteFile(path, []byte(sealbox.Format(sealbox.NewKey())), 0o644))
		require.NoError(t, os.Chmod(path, 0o644))
		_, err := sealbox.ReadFile(path)
		require.ErrorContains(t, err, "chmod 600")
	})
	t.Run("MissingIsMissing", func(t *testing.T) {
		t.Parallel()
		_, err := sealbox.ReadFile(filepath.Join(t.TempDir(), "none"))
		require.True(t, sealbox.IsMissing(err))
	})
	t.Run("BadTextRefused", func(t *testing.T) {
		t.Parallel()
		for _, text := range []string{"", "# only a comment\n", "nocolon", "k1:bm90MzJieXRlcw==", "bad id!:" + strings.Repeat("A", 44)} {
			_, err := sealbox.Parse(text)
			require.Error(t, err, text)
		}
	})
	t.Run("SeveralKeysCurrentFirst", func(t *testing.T) {
		t.Parallel()
		a, b := sealbox.NewKey(), sealbox.NewKey()
		keys, err := sealbox.Parse(sealbox.Format(a, b))
		require.NoError(t, err)
		require.Equal(t, []string{a.ID, b.ID}, []string{keys[0].ID, keys[1].ID})
		_, err = sealbox.New(a, a)
		require.Error(t, err)
	})
}
