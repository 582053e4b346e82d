package worker

import (
	"context"
	"errors"
	"fmt"

	"sluice"
	"sluice/client"
)

// secretsTarget is the X-Amz-Target of Sluice's secret resolution for workers
// (api.resolveJobSecrets).
const secretsTarget = "SluiceWorker_20261129.ResolveJobSecrets"

// remoteSecrets resolves a job's secrets on the server, over the worker's signed channel:
// the values travel in the answer only, to the worker holding the job's nonce.
type remoteSecrets struct{ c *client.Client }

func (r remoteSecrets) ResolveSecrets(ctx context.Context, job *sluice.Job, refs []sluice.SecretRef) ([]string, error) {
	in := map[string]any{"jobId": job.ID, "nonce": job.Nonce, "refs": refs}
	var out struct {
		Values []string `json:"values"`
	}
	err := r.c.Call(ctx, secretsTarget, "codepipeline", in, &out)
	var api *client.APIError
	if errors.As(err, &api) && api.Status < 500 {
		// The server's message names the reference that failed; the build fails with it.
		return nil, &sluice.Error{Code: sluice.EInvalid, Message: api.Message}
	}
	if err != nil {
		return nil, err
	}
	if len(out.Values) != len(refs) {
		return nil, fmt.Errorf("the server resolved %d of %d secrets", len(out.Values), len(refs))
	}
	return out.Values, nil
}
