package codebuild

import (
	"context"
	"errors"
	"fmt"

	"sluice"
)

// secretKey names one resolved reference.
type secretKey struct{ source, ref string }

// isSecretType reports whether an environment variable's type makes its value a reference.
func isSecretType(t string) bool {
	return t == sluice.SourceSecretsManager || t == sluice.SourceParameter
}

// layeredVars are the variables the buildspec's env.parameter-store and env.secrets-manager,
// the project and the action define, the later replacing the earlier of the same name
// (CodeBuild's precedence, the action playing the start-build override), by name.
func layeredVars(spec *Buildspec, c *config) []sluice.EnvironmentVariable {
	byName := map[string]sluice.EnvironmentVariable{}
	for _, src := range []struct {
		vars   map[string]string
		source string
	}{{spec.Env.ParameterStore, sluice.SourceParameter}, {spec.Env.SecretsManager, sluice.SourceSecretsManager}} {
		for name, ref := range src.vars {
			byName[name] = sluice.EnvironmentVariable{Name: name, Value: ref, Type: src.source}
		}
	}
	for _, vs := range [][]sluice.EnvironmentVariable{c.project.variables, c.overrides} {
		for _, v := range vs {
			byName[v.Name] = v
		}
	}
	out := make([]sluice.EnvironmentVariable, 0, len(byName))
	for _, name := range sortedNames(byName) {
		out = append(out, byName[name])
	}
	return out
}

// secretRefs lists, once each, the references of the variables that are not replaced by a
// plain value of a later layer: only those are fetched.
func secretRefs(vars []sluice.EnvironmentVariable) []sluice.SecretRef {
	var refs []sluice.SecretRef
	seen := map[secretKey]bool{}
	for _, v := range vars {
		if k := (secretKey{v.Type, v.Value}); isSecretType(v.Type) && !seen[k] {
			seen[k] = true
			refs = append(refs, sluice.SecretRef{Source: v.Type, Ref: v.Value})
		}
	}
	return refs
}

// resolveSecrets fetches every reference before the build starts, as CodeBuild does in its
// DOWNLOAD_SOURCE phase. A reference that is missing or not allowed fails the build with
// a message naming it; a server that cannot answer is the worker's error.
func (pl *plan) resolveSecrets(ctx context.Context, rc *sluice.RunContext) (*sluice.Outcome, error) {
	refs := secretRefs(layeredVars(pl.spec, pl.cfg))
	if len(refs) == 0 {
		return nil, nil
	}
	if rc.Secrets == nil {
		return failed(sluice.FailureConfigurationError, fmt.Sprintf(
			"the build refers to %s %s, and this worker cannot resolve secrets", refs[0].Source, refs[0].Ref), ""), nil
	}
	values, err := rc.Secrets.ResolveSecrets(ctx, rc.Job, refs)
	var se *sluice.Error
	if errors.As(err, &se) && se.Code != sluice.EInternal {
		return failed(sluice.FailureJobFailed, "DOWNLOAD_SOURCE: "+se.Message, ""), nil
	}
	if err != nil {
		return nil, fmt.Errorf("resolve the build's secrets: %w", err)
	}
	pl.secrets = make(map[secretKey]string, len(refs))
	for i, r := range refs {
		pl.secrets[secretKey{r.Source, r.Ref}] = values[i]
	}
	return nil, nil
}

// value is an environment variable's value: its own, or the secret it refers to.
func (pl *plan) value(v sluice.EnvironmentVariable) string {
	if isSecretType(v.Type) {
		return pl.secrets[secretKey{v.Type, v.Value}]
	}
	return v.Value
}
