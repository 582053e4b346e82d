package worker_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/provider/commands"
	"sluice/worker"
)

// TestLabelsChecked: a label the server would refuse on every poll is refused at start-up,
// instead of a worker that polls in vain for ever.
func TestLabelsChecked(t *testing.T) {
	t.Parallel()
	cfg := worker.Config{Server: "http://127.0.0.1:1", WorkDir: t.TempDir(), Providers: []sluice.Provider{&commands.Provider{}},
		Credentials: credentials.NewStaticCredentialsProvider("AKIA", "secret", "")}
	cfg.Labels = []string{"gpu", "linux_x86-64"}
	_, err := worker.New(cfg)
	require.NoError(t, err)
	cfg.Labels = []string{"gpu.large"}
	_, err = worker.New(cfg)
	require.ErrorContains(t, err, `"gpu.large" is not a label`)
}
