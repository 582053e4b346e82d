package storetest

import (
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
)

func connection(id string) *sluice.Connection {
	return &sluice.Connection{ARN: factoryScope.ARN(sluice.ConnectionARN, id), Name: "conn-" + id,
		ProviderType: sluice.ProviderGitHub, Endpoint: "https://github.com", Status: sluice.ConnectionAvailable,
		Secret: "token-" + id, WebhookSecret: "hook-" + id, Created: at(1)}
}

// testConnections checks sluice.ConnectionStore.
func testConnections(t *testing.T, open func(*testing.T) sluice.Store) {
	t.Run("Connections", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		a, b := connection("a"), connection("b")
		b.Created = at(2)
		require.NoError(t, f.s.CreateConnection(f.ctx, a))
		require.NoError(t, f.s.CreateConnection(f.ctx, b))
		requireCode(t, f.s.CreateConnection(f.ctx, connection("a")), sluice.EAlreadyExists, "Connection")
		got, err := f.s.GetConnection(f.ctx, a.ARN)
		require.NoError(t, err)
		require.Equal(t, a, got)

		a.Secret, a.SSHKey, a.Status = "rotated", "-----BEGIN KEY-----", sluice.ConnectionError
		require.NoError(t, f.s.UpdateConnection(f.ctx, a))
		got, err = f.s.GetConnection(f.ctx, a.ARN)
		require.NoError(t, err)
		require.Equal(t, a, got)
		all, err := f.s.ListConnections(f.ctx)
		require.NoError(t, err)
		require.Equal(t, []*sluice.Connection{a, b}, all)

		require.NoError(t, f.s.DeleteConnection(f.ctx, a.ARN))
		requireCode(t, f.s.DeleteConnection(f.ctx, a.ARN), sluice.ENotFound, "Connection")
		requireCode(t, f.s.UpdateConnection(f.ctx, a), sluice.ENotFound, "Connection")
		_, err = f.s.GetConnection(f.ctx, a.ARN)
		requireCode(t, err, sluice.ENotFound, "Connection")
	})

	t.Run("Hosts", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		h := &sluice.Host{ARN: factoryScope.ARN(sluice.HostARN, "gitlab-1"), Name: "gitlab",
			ProviderType: sluice.ProviderGitLabSelf, Endpoint: "https://gitlab.example.com", Status: "AVAILABLE", Created: at(1)}
		require.NoError(t, f.s.CreateHost(f.ctx, h))
		requireCode(t, f.s.CreateHost(f.ctx, h), sluice.EAlreadyExists, "Host")
		got, err := f.s.GetHost(f.ctx, h.ARN)
		require.NoError(t, err)
		require.Equal(t, h, got)
		all, err := f.s.ListHosts(f.ctx)
		require.NoError(t, err)
		require.Equal(t, []*sluice.Host{h}, all)
		require.NoError(t, f.s.DeleteHost(f.ctx, h.ARN))
		requireCode(t, f.s.DeleteHost(f.ctx, h.ARN), sluice.ENotFound, "Host")
	})
}
