package service_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
)

// refuseAll is an Authorizer that refuses every access and counts what it is asked.
type refuseAll struct{ asked int }

func (r *refuseAll) Authorize(_ context.Context, c sluice.Caller, a sluice.Access) error {
	r.asked++
	return sluice.Denied(c, a, false)
}

func TestServerCaller(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("OKNotAsked", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		authz := &refuseAll{}
		b.svc.Authz = authz
		_, err := b.svc.CreateRepository(ctx, sluice.ServerCaller(), "src", "")
		require.NoError(t, err)
		require.Zero(t, authz.asked)
	})

	t.Run("ErrItsPrincipalIsNotEnough", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		authz := &refuseAll{}
		b.svc.Authz = authz
		forged := sluice.Caller{Principal: sluice.ServerPrincipal, AccessKeyID: "AKIAFORGED"}
		require.False(t, forged.IsServer())
		_, err := b.svc.CreateRepository(ctx, forged, "src", "")
		require.True(t, sluice.IsCode(err, sluice.EAccessDenied), "%v", err)
		require.Equal(t, 1, authz.asked)
		require.False(t, b.repos.repos["src"])
	})
}
