package commands

import (
	"context"
	"errors"
	"fmt"

	"sluice"
)

// resolveSecrets returns vars with each SECRETS_MANAGER value replaced by the secret it
// names, as a PLAINTEXT variable (the runner masks the values in the log). A reference that
// cannot be resolved fails the action naming it.
func resolveSecrets(ctx context.Context, rc *sluice.RunContext, vars []sluice.EnvironmentVariable) ([]sluice.EnvironmentVariable, *sluice.Outcome, error) {
	var refs []sluice.SecretRef
	for _, v := range vars {
		if v.Type == sluice.SourceSecretsManager {
			refs = append(refs, sluice.SecretRef{Source: v.Type, Ref: v.Value})
		}
	}
	if len(refs) == 0 {
		return vars, nil, nil
	}
	if rc.Secrets == nil {
		return nil, configurationError(fmt.Sprintf("environment variables refer to secret %s, and this worker cannot resolve secrets", refs[0].Ref)), nil
	}
	values, err := rc.Secrets.ResolveSecrets(ctx, rc.Job, refs)
	var se *sluice.Error
	if errors.As(err, &se) && se.Code != sluice.EInternal {
		return nil, &sluice.Outcome{ErrorType: sluice.FailureJobFailed, Summary: se.Message, ErrorMessage: se.Message}, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("resolve the action's secrets: %w", err)
	}
	out := make([]sluice.EnvironmentVariable, len(vars))
	i := 0
	for k, v := range vars {
		out[k] = v
		if v.Type == sluice.SourceSecretsManager {
			out[k].Value, out[k].Type = values[i], "PLAINTEXT"
			i++
		}
	}
	return out, nil, nil
}
