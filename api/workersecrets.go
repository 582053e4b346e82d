package api

import (
	"context"
	"fmt"

	"sluice"
)

// resolveJobSecrets gives `sluice worker` the values of the secrets a job it runs refers to,
// over its signed channel: the worker names the job and its nonce, and the core resolves
// them as the job's pipeline's author (service.ResolveJobSecrets).
func (s *Server) resolveJobSecrets(ctx context.Context, c *call) (any, error) {
	var in struct {
		JobID string             `json:"jobId"`
		Nonce string             `json:"nonce"`
		Refs  []sluice.SecretRef `json:"refs"`
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	var m members
	m.need("jobId", in.JobID, rule{min: 1, max: 128, quiet: true})
	m.need("nonce", in.Nonce, rule{min: 1, max: 128, quiet: true})
	if len(in.Refs) == 0 {
		m.null("refs")
	}
	m.atMost("refs", len(in.Refs), 200)
	for i, r := range in.Refs {
		path := fmt.Sprintf("refs.%d.member.", i+1)
		m.need(path+"Source", r.Source, rule{enum: []string{sluice.SourceSecretsManager, sluice.SourceParameter}})
		m.need(path+"Ref", r.Ref, rule{min: 1, max: 2048, quiet: true})
	}
	if err := m.err(); err != nil {
		return nil, err
	}
	values, err := s.Service.ResolveJobSecrets(ctx, c.caller, in.JobID, in.Nonce, in.Refs)
	if err != nil {
		return nil, err
	}
	return struct {
		Values []string `json:"values"`
	}{values}, nil
}
