package sluice_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
)

func TestWorkerID(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		id   sluice.WorkerID
		text string
	}{
		{"Local", sluice.LocalWorker("srv-1", "pool-7"), "local:srv-1:pool-7"},
		{"Lambda", sluice.LambdaWorker("srv-1", "inv-2"), "lambda:srv-1:inv-2"},
		{"Remote", sluice.RemoteWorker("host-12"), "remote:host-12"},
		{"RemoteNameWithColons", sluice.RemoteWorker("build:gpu:1"), "remote:build:gpu:1"},
		{"CustomPrincipal", sluice.CustomWorker("arn:aws:iam::000000000000:root"), "custom:arn:aws:iam::000000000000:root"},
		{"LocalWithoutServer", sluice.WorkerID{Kind: sluice.WorkerLocal, Name: "pool-7"}, "local:pool-7"},
		{"OtherKind", sluice.WorkerID{Kind: "fn", Name: "a:b"}, "fn:a:b"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, c.text, c.id.String())
			require.Equal(t, c.id, sluice.ParseWorkerID(c.text))
		})
	}

	t.Run("NoKind", func(t *testing.T) {
		t.Parallel()
		require.Equal(t, sluice.WorkerID{Name: "worker-1"}, sluice.ParseWorkerID("worker-1"))
	})
}
