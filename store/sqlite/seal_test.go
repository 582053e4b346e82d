package sqlite_test

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/sealbox"
	"sluice/store/sqlite"
)

// secretsIn stores one secret in each sealed column and returns the values.
func secretsIn(t *testing.T, db *sqlite.DB) []string {
	t.Helper()
	ctx, now := context.Background(), time.Now().UTC()
	vals := []string{"key-secret-6f1d2a", "conn-token-77ab", "ssh-key-e01c", "hook-secret-41aa", "fn-secret-93d0", "v1-secret-b2c4"}
	require.NoError(t, db.PutAccessKey(ctx, &sluice.AccessKey{ID: "AKIASEALED", Secret: vals[0], Principal: "arn:aws:iam::000000000000:root", Created: now}))
	require.NoError(t, db.CreateConnection(ctx, &sluice.Connection{ARN: "arn:aws:codestar-connections:us-east-1:000000000000:connection/c1",
		Name: "c1", ProviderType: "GitHub", Status: "AVAILABLE", Secret: vals[1], SSHKey: vals[2], WebhookSecret: vals[3], Created: now}))
	require.NoError(t, db.PutFunction(ctx, &sluice.Function{Name: "fn", URL: "http://127.0.0.1/", Secret: vals[4], Created: now, LastModified: now}))
	require.NoError(t, db.PutWebhook(ctx, sluice.PutWebhookParams{Webhook: &sluice.Webhook{Name: "w", ARN: "arn:aws:codepipeline:us-east-1:000000000000:webhook:w",
		TargetPipeline: "p", TargetAction: "a", Authentication: sluice.WebhookGitHubHMAC, SecretToken: vals[5], Token: "tok", Created: now}}))
	return vals
}

// fileHolds reports whether the database file or its WAL holds s.
func fileHolds(t *testing.T, path, s string) bool {
	t.Helper()
	for _, p := range []string{path, path + "-wal"} {
		b, err := os.ReadFile(p)
		if os.IsNotExist(err) {
			continue
		}
		require.NoError(t, err)
		if bytes.Contains(b, []byte(s)) {
			return true
		}
	}
	return false
}

func TestSealedColumns(t *testing.T) {
	t.Parallel()
	setup := func(t *testing.T) (string, *sealbox.Box) {
		box, err := sealbox.New(sealbox.NewKey())
		require.NoError(t, err)
		return filepath.Join(t.TempDir(), "sluice.db"), box
	}
	t.Run("NotInTheFileButReadBack", func(t *testing.T) {
		t.Parallel()
		path, box := setup(t)
		db, err := sqlite.Open(path, sqlite.WithSealer(box))
		require.NoError(t, err)
		defer db.Close()
		vals := secretsIn(t, db)
		for _, v := range vals {
			require.False(t, fileHolds(t, path, v), v)
		}
		ctx := context.Background()
		k, err := db.GetAccessKey(ctx, "AKIASEALED")
		require.NoError(t, err)
		c, err := db.GetConnection(ctx, "arn:aws:codestar-connections:us-east-1:000000000000:connection/c1")
		require.NoError(t, err)
		f, err := db.GetFunction(ctx, "fn")
		require.NoError(t, err)
		w, err := db.WebhookByToken(ctx, "tok")
		require.NoError(t, err)
		require.Equal(t, vals, []string{k.Secret, c.Secret, c.SSHKey, c.WebhookSecret, f.Secret, w.SecretToken})
	})
	t.Run("PlaintextRowsSealedAtStart", func(t *testing.T) {
		t.Parallel()
		path, box := setup(t)
		db, err := sqlite.Open(path, sqlite.WithSealer(box))
		require.NoError(t, err)
		require.NoError(t, db.Close())
		// A row as a server before migration 0014 wrote it.
		raw, err := sql.Open("sqlite", path)
		require.NoError(t, err)
		_, err = raw.Exec(`INSERT INTO access_keys (id, secret, principal, created) VALUES ('AKIAOLD', 'plain-old-secret-5e7', 'p', 0)`)
		require.NoError(t, err)
		require.NoError(t, raw.Close())
		require.True(t, fileHolds(t, path, "plain-old-secret-5e7"))

		db, err = sqlite.Open(path, sqlite.WithSealer(box))
		require.NoError(t, err)
		k, err := db.GetAccessKey(context.Background(), "AKIAOLD")
		require.NoError(t, err)
		require.Equal(t, "plain-old-secret-5e7", k.Secret)
		require.NoError(t, db.Close()) // checkpoints the WAL into the file
		require.False(t, fileHolds(t, path, "plain-old-secret-5e7"))
	})
	t.Run("WrongKeyRefusedAtStart", func(t *testing.T) {
		t.Parallel()
		path, box := setup(t)
		db, err := sqlite.Open(path, sqlite.WithSealer(box))
		require.NoError(t, err)
		secretsIn(t, db)
		require.NoError(t, db.Close())
		_, err = sqlite.Open(path, sqlite.WithSealer(sealbox.Ephemeral()))
		var unknown *sealbox.UnknownKeyError
		require.ErrorAs(t, err, &unknown)
		require.Equal(t, box.KeyID(), unknown.ID)
	})
	t.Run("RotationResealsUnderTheNewKey", func(t *testing.T) {
		t.Parallel()
		path, _ := setup(t)
		old := sealbox.NewKey()
		box, err := sealbox.New(old)
		require.NoError(t, err)
		db, err := sqlite.Open(path, sqlite.WithSealer(box))
		require.NoError(t, err)
		vals := secretsIn(t, db)
		require.NoError(t, db.Close())

		next := sealbox.NewKey()
		both, err := sealbox.New(next, old)
		require.NoError(t, err)
		db, err = sqlite.Open(path, sqlite.WithSealer(both))
		require.NoError(t, err)
		require.NoError(t, db.Close())
		// The old key is no longer needed once a start has resealed.
		onlyNew, err := sealbox.New(next)
		require.NoError(t, err)
		db, err = sqlite.Open(path, sqlite.WithSealer(onlyNew))
		require.NoError(t, err)
		defer db.Close()
		k, err := db.GetAccessKey(context.Background(), "AKIASEALED")
		require.NoError(t, err)
		require.Equal(t, vals[0], k.Secret)
	})
}
