package service

import (
	"context"
	"encoding/json"
	"errors"
	"strings"

	"sluice"
)

// ResolveSecrets fetches the values job refers to, as the principal that saved the job's
// pipeline version would (CodePipeline's service role is not modelled: the pipeline's
// author stands for it), so that the Authorizer decides as for any call of that principal.
// A reference that is missing, not allowed or malformed fails the whole call with a message
// naming it and no value.
func (s *Service) ResolveSecrets(ctx context.Context, job *sluice.Job, refs []sluice.SecretRef) ([]string, error) {
	author, err := s.Store.PipelineAuthor(ctx, job.PipelineName, job.Data.PipelineVersion)
	if err != nil {
		return nil, err
	}
	if author == "" && s.Authz != nil {
		return nil, sluice.Errorf(sluice.EAccessDenied, "", "pipeline %s version %d was saved before Sluice recorded who saved it: update the pipeline so that its author's policy can allow its secrets", job.PipelineName, job.Data.PipelineVersion)
	}
	// Never the server's own caller, whatever the recorded principal says: a pipeline's
	// secrets are always those its author's policy allows.
	as := sluice.Caller{Principal: author}
	out := make([]string, 0, len(refs))
	for _, r := range refs {
		var v string
		switch r.Source {
		case sluice.SourceSecretsManager:
			v, err = s.resolveSecret(ctx, as, r.Ref)
		case sluice.SourceParameter:
			v, err = s.resolveParameter(ctx, as, r.Ref)
		default:
			err = sluice.Errorf(sluice.EInvalid, "", "unknown secret source %q", r.Source)
		}
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// SecretManagerRef is a secrets-manager reference read: secret-id[:json-key[:version-stage[:version-id]]],
// the secret-id an ARN (its first seven colon-separated fields) when it starts with "arn:".
type SecretManagerRef struct {
	SecretID, JSONKey string
	Version           SecretVersionRef
}

// ParseSecretManagerRef reads a secrets-manager reference.
func ParseSecretManagerRef(ref string) (SecretManagerRef, error) {
	parts := strings.Split(ref, ":")
	head := 1
	if strings.HasPrefix(ref, "arn:") {
		head = 7
	}
	if len(parts) < head || len(parts) > head+3 {
		return SecretManagerRef{}, sluice.Errorf(sluice.EInvalid, "", "secrets-manager reference %q: want secret-id:json-key:version-stage:version-id", ref)
	}
	get := func(i int) string {
		if head+i < len(parts) {
			return parts[head+i]
		}
		return ""
	}
	out := SecretManagerRef{SecretID: strings.Join(parts[:head], ":"), JSONKey: get(0),
		Version: SecretVersionRef{Stage: get(1), ID: get(2)}}
	if out.SecretID == "" || out.Version.Stage != "" && out.Version.ID != "" {
		return SecretManagerRef{}, sluice.Errorf(sluice.EInvalid, "", "secrets-manager reference %q: give a secret id, and a version stage or a version id, not both", ref)
	}
	return out, nil
}

func (s *Service) resolveSecret(ctx context.Context, as sluice.Caller, raw string) (string, error) {
	ref, err := ParseSecretManagerRef(raw)
	if err != nil {
		return "", err
	}
	_, v, err := s.GetSecretValue(ctx, as, ref.SecretID, ref.Version)
	if err != nil {
		return "", refErr(err, "secrets-manager reference "+raw+": "+errMessage(err))
	}
	value := v.String
	if v.IsBinary {
		value = string(v.Binary)
	}
	if ref.JSONKey == "" {
		return value, nil
	}
	var fields map[string]any
	if err := json.Unmarshal([]byte(value), &fields); err != nil {
		return "", sluice.Errorf(sluice.EInvalid, "", "secrets-manager reference %s: the secret is not a JSON object, so it has no key %s", raw, ref.JSONKey)
	}
	f, ok := fields[ref.JSONKey]
	if !ok {
		return "", sluice.Errorf(sluice.EInvalid, "", "secrets-manager reference %s: the secret has no JSON key %s", raw, ref.JSONKey)
	}
	if str, ok := f.(string); ok {
		return str, nil
	}
	b, _ := json.Marshal(f) // a value json.Unmarshal made always encodes
	return string(b), nil
}

func (s *Service) resolveParameter(ctx context.Context, as sluice.Caller, raw string) (string, error) {
	name, version, err := s.paramRef(raw)
	if err == nil {
		err = s.allow(ctx, as, actGetParameters, s.paramARN(name))
	}
	var p *sluice.Parameter
	if err == nil {
		p, err = s.Store.GetParameter(ctx, name, version)
	}
	if err != nil {
		return "", refErr(err, "parameter-store reference "+raw+": "+parameterFailure(err))
	}
	return p.Value, nil
}

// parameterFailure says why a parameter could not be read; ParameterNotFound has no message.
func parameterFailure(err error) string {
	if sluice.IsCode(err, sluice.ENotFound) {
		return "Parameter does not exist"
	}
	return errMessage(err)
}

func errMessage(err error) string {
	var e *sluice.Error
	if errors.As(err, &e) {
		return e.Message
	}
	return err.Error()
}

// refErr is err, with msg (which names the reference) when it is an error of the reference
// rather than of the server.
func refErr(err error, msg string) error {
	code := sluice.ErrorCode(err)
	if code == sluice.EInternal {
		return err
	}
	return &sluice.Error{Code: code, Message: msg}
}

// ResolveJobSecrets is ResolveSecrets for a remote worker: only the worker holding the job
// (its current nonce, while it is in progress) may ask, so a job's secrets go to the worker
// running it and to no other.
func (s *Service) ResolveJobSecrets(ctx context.Context, c sluice.Caller, jobID, nonce string, refs []sluice.SecretRef) ([]string, error) {
	if err := s.allow(ctx, c, actResolveJobSecrets, anyResource); err != nil {
		return nil, err
	}
	if err := s.servesJobs(); err != nil {
		return nil, err
	}
	j, err := s.Store.GetJob(ctx, jobID)
	if err != nil {
		return nil, err
	}
	if j.Nonce != nonce || j.Status != sluice.JobInProgress {
		return nil, sluice.Errorf(sluice.EInvalidNonce, "Nonce", "Job %s is not in progress with this nonce: its secrets go only to the worker running it.", jobID)
	}
	return s.ResolveSecrets(ctx, j, refs)
}
