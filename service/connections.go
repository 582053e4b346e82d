package service

import (
	"context"
	"net/url"

	"sluice"
)

// publicEndpoints are the hosts of the cloud providers.
var publicEndpoints = map[string]string{sluice.ProviderGitHub: "https://github.com",
	sluice.ProviderGitLab: "https://gitlab.com", sluice.ProviderBitbucket: "https://bitbucket.org"}

// ConnectionParams creates a connection: to a cloud provider (ProviderType), or to a
// self-managed server through its host (HostARN).
type ConnectionParams struct {
	Name         string
	ProviderType string
	HostARN      string
	Tags         []sluice.Tag
}

// CreateConnection mints the connection's ARN, takes its endpoint from its host or its
// provider, and stores it with its tags, in one transaction. A host's provider type must
// match ProviderType when both are given; a self-managed provider type needs a host.
func (s *Service) CreateConnection(ctx context.Context, c sluice.Caller, p ConnectionParams) (*sluice.Connection, error) {
	if err := s.allow(ctx, c, actCreateConnection, anyResource); err != nil {
		return nil, err
	}
	conn := &sluice.Connection{Name: p.Name, ProviderType: p.ProviderType, HostARN: p.HostARN,
		Status: sluice.ConnectionAvailable, Created: s.Now(), ARN: s.Scope().ARN(sluice.ConnectionARN, s.IDs.NewID())}
	switch {
	case p.HostARN != "":
		h, err := s.Store.GetHost(ctx, p.HostARN)
		if err != nil {
			return nil, err
		}
		if p.ProviderType != "" && p.ProviderType != h.ProviderType {
			return nil, sluice.Errorf(sluice.EInvalid, "", "ProviderType %s does not match host %s, which is %s.", p.ProviderType, h.Name, h.ProviderType)
		}
		conn.ProviderType, conn.Endpoint = h.ProviderType, h.Endpoint
	case publicEndpoints[p.ProviderType] != "":
		conn.Endpoint = publicEndpoints[p.ProviderType]
	case p.ProviderType == "":
		return nil, sluice.Errorf(sluice.EInvalid, "", "Give a ProviderType, or a HostArn for a self-managed server.")
	default:
		return nil, sluice.Errorf(sluice.EInvalid, "", "A %s connection needs a HostArn: create the host with aws codestar-connections create-host --provider-endpoint URL.", p.ProviderType)
	}
	err := s.Store.InTx(ctx, func(x sluice.Executor) error {
		if err := x.CreateConnection(ctx, conn); err != nil {
			return err
		}
		if tags := tagMap(p.Tags); len(tags) > 0 {
			return x.TagResource(ctx, conn.ARN, tags)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return conn, nil
}

// GetConnection returns a connection (ENotFound/Connection).
func (s *Service) GetConnection(ctx context.Context, c sluice.Caller, arn string) (*sluice.Connection, error) {
	if err := s.allow(ctx, c, actGetConnection, arn); err != nil {
		return nil, err
	}
	return s.Store.GetConnection(ctx, arn)
}

// DeleteConnection deletes a connection and its webhook deliveries (ENotFound/Connection).
func (s *Service) DeleteConnection(ctx context.Context, c sluice.Caller, arn string) error {
	if err := s.allow(ctx, c, actDeleteConnection, arn); err != nil {
		return err
	}
	return s.Store.DeleteConnection(ctx, arn)
}

// ConnectionFilter narrows and pages ListConnections.
type ConnectionFilter struct {
	sluice.Page
	ProviderType string
	HostARN      string
}

// ListConnections returns one page of the connections that match the filter, oldest first.
func (s *Service) ListConnections(ctx context.Context, c sluice.Caller, f ConnectionFilter) ([]*sluice.Connection, string, error) {
	if err := s.allow(ctx, c, actListConnections, anyResource); err != nil {
		return nil, "", err
	}
	all, err := s.Store.ListConnections(ctx)
	if err != nil {
		return nil, "", err
	}
	out := []*sluice.Connection{}
	for _, conn := range all {
		if (f.ProviderType == "" || conn.ProviderType == f.ProviderType) && (f.HostARN == "" || conn.HostARN == f.HostARN) {
			out = append(out, conn)
		}
	}
	return offsetPage(out, f.Token, "connections", f.ProviderType+"|"+f.HostARN, f.Limit)
}

// CredentialsParams sets what a connection authenticates with: nil members keep their
// value, an empty string clears one.
type CredentialsParams struct {
	ConnectionARN string
	Username      *string
	Secret        *string
	SSHKey        *string
	WebhookSecret *string
}

// UpdateConnectionCredentials sets a connection's credentials (ENotFound/Connection).
func (s *Service) UpdateConnectionCredentials(ctx context.Context, c sluice.Caller, p CredentialsParams) error {
	if err := s.allow(ctx, c, actUpdateConnectionCreds, p.ConnectionARN); err != nil {
		return err
	}
	conn, err := s.Store.GetConnection(ctx, p.ConnectionARN)
	if err != nil {
		return err
	}
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	set(&conn.Username, p.Username)
	set(&conn.Secret, p.Secret)
	set(&conn.SSHKey, p.SSHKey)
	set(&conn.WebhookSecret, p.WebhookSecret)
	return s.Store.UpdateConnection(ctx, conn)
}

// ListWebhookDeliveries returns one page of a connection's webhook deliveries, newest first
// (ENotFound/Connection).
func (s *Service) ListWebhookDeliveries(ctx context.Context, c sluice.Caller, connectionARN string, page sluice.Page) ([]*sluice.WebhookDelivery, string, error) {
	if err := s.allow(ctx, c, actListWebhookDeliveries, connectionARN); err != nil {
		return nil, "", err
	}
	if _, err := s.Store.GetConnection(ctx, connectionARN); err != nil {
		return nil, "", err
	}
	return s.Store.ListWebhookDeliveries(ctx, connectionARN, page)
}

// HostParams creates a host: a self-managed git server connections reach.
type HostParams struct {
	Name         string
	ProviderType string
	Endpoint     string
}

// CreateHost checks the endpoint is an http(s) or ssh URL, mints the host's ARN and stores it.
func (s *Service) CreateHost(ctx context.Context, c sluice.Caller, p HostParams) (*sluice.Host, error) {
	if err := s.allow(ctx, c, actCreateHost, anyResource); err != nil {
		return nil, err
	}
	if u, err := url.Parse(p.Endpoint); err != nil || (u.Scheme != "https" && u.Scheme != "http" && u.Scheme != "ssh") || u.Host == "" {
		return nil, sluice.Errorf(sluice.EInvalid, "", "ProviderEndpoint %q is not an http(s) or ssh URL.", p.Endpoint)
	}
	h := &sluice.Host{Name: p.Name, ProviderType: p.ProviderType, Endpoint: p.Endpoint, Status: "AVAILABLE",
		Created: s.Now(), ARN: s.Scope().ARN(sluice.HostARN, p.Name+"-"+s.IDs.NewID()[:8])}
	if err := s.Store.CreateHost(ctx, h); err != nil {
		return nil, err
	}
	return h, nil
}

// GetHost returns a host (ENotFound/Host).
func (s *Service) GetHost(ctx context.Context, c sluice.Caller, arn string) (*sluice.Host, error) {
	if err := s.allow(ctx, c, actGetHost, arn); err != nil {
		return nil, err
	}
	return s.Store.GetHost(ctx, arn)
}

// DeleteHost deletes a host (ENotFound/Host).
func (s *Service) DeleteHost(ctx context.Context, c sluice.Caller, arn string) error {
	if err := s.allow(ctx, c, actDeleteHost, arn); err != nil {
		return err
	}
	return s.Store.DeleteHost(ctx, arn)
}

// ListHosts returns one page of the hosts, oldest first.
func (s *Service) ListHosts(ctx context.Context, c sluice.Caller, page sluice.Page) ([]*sluice.Host, string, error) {
	if err := s.allow(ctx, c, actListHosts, anyResource); err != nil {
		return nil, "", err
	}
	all, err := s.Store.ListHosts(ctx)
	if err != nil {
		return nil, "", err
	}
	return offsetPage(all, page.Token, "hosts", "", page.Limit)
}
