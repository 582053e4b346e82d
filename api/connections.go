package api

import (
	"context"

	"sluice"
	"sluice/service"
	"sluice/validate"
)

// The CodeStar connections operations (and their CodeConnections twins): connections and
// hosts, with UpdateConnectionCredentials, Sluice's way to give a connection the token,
// password or SSH key that AWS obtains in its console handshake.
// The model's target prefixes are "com.amazonaws.codestar.connections.CodeStar_connections_20191201"
// and "com.amazonaws.codeconnections.CodeConnections_20231201"; the AWS SDK for Go sends them
// without the "com.amazonaws..." part, so both spellings are served.
var connectionTargets = []string{
	"com.amazonaws.codestar.connections.CodeStar_connections_20191201.", "CodeStar_connections_20191201.",
	"com.amazonaws.codeconnections.CodeConnections_20231201.", "CodeConnections_20231201.",
}

const sluiceConnTarget = "SluiceConnections_20261129."

var (
	providerTypeRule = rule{enum: []string{sluice.ProviderBitbucket, sluice.ProviderGitHub, sluice.ProviderGitHubEnterprise,
		sluice.ProviderGitLab, sluice.ProviderGitLabSelf, sluice.ProviderGit}}
	connectionNameRule = rule{min: 1, max: 32}
	hostNameRule       = rule{min: 1, max: 64}
	connArnRule        = rule{min: 1, max: 256, pattern: validate.NewPattern(`arn:aws(-[\w]+)*:.+:.+:[0-9]{12}:.+`)}
	hostArnRule        = rule{min: 1, max: 256, pattern: validate.NewPattern(`arn:aws(-[\w]+)*:codestar-connections:.+:[0-9]{12}:host\/.+`)}
	endpointRule       = rule{min: 1, max: 512, quiet: true}
	credentialRule     = rule{max: 16384, quiet: true}
)

// connectionOut is the model's Connection: never a credential.
type connectionOut struct {
	ConnectionName   string `json:"ConnectionName"`
	ConnectionArn    string `json:"ConnectionArn"`
	ProviderType     string `json:"ProviderType"`
	OwnerAccountID   string `json:"OwnerAccountId"`
	ConnectionStatus string `json:"ConnectionStatus"`
	HostArn          string `json:"HostArn,omitempty"`
}

func (s *Server) connectionOut(c *sluice.Connection) connectionOut {
	return connectionOut{ConnectionName: c.Name, ConnectionArn: c.ARN, ProviderType: c.ProviderType,
		OwnerAccountID: s.account(), ConnectionStatus: c.Status, HostArn: c.HostARN}
}

type connTag struct {
	Key   string `json:"Key"`
	Value string `json:"Value"`
}

func (s *Server) createConnection(ctx context.Context, c *call) (any, error) {
	var in struct {
		ProviderType   string    `json:"ProviderType"`
		ConnectionName string    `json:"ConnectionName"`
		HostArn        string    `json:"HostArn"`
		Tags           []connTag `json:"Tags"`
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	var m members
	m.need("ConnectionName", in.ConnectionName, connectionNameRule)
	m.opt("ProviderType", in.ProviderType, providerTypeRule)
	m.opt("HostArn", in.HostArn, hostArnRule)
	m.atMost("Tags", len(in.Tags), 200)
	if err := m.err(); err != nil {
		return nil, err
	}
	tags := make([]sluice.Tag, 0, len(in.Tags))
	for _, t := range in.Tags {
		tags = append(tags, sluice.Tag(t))
	}
	conn, err := s.Service.CreateConnection(ctx, c.caller, service.ConnectionParams{Name: in.ConnectionName,
		ProviderType: in.ProviderType, HostARN: in.HostArn, Tags: tags})
	if err != nil {
		return nil, err
	}
	return map[string]any{"ConnectionArn": conn.ARN, "Tags": in.Tags}, nil
}

func (s *Server) connectionArnCall(c *call) (string, error) {
	var in struct {
		ConnectionArn string `json:"ConnectionArn"`
	}
	if err := decode(c.body, &in); err != nil {
		return "", err
	}
	var m members
	m.need("ConnectionArn", in.ConnectionArn, connArnRule)
	return in.ConnectionArn, m.err()
}

func (s *Server) getConnection(ctx context.Context, c *call) (any, error) {
	arn, err := s.connectionArnCall(c)
	if err != nil {
		return nil, err
	}
	conn, err := s.Service.GetConnection(ctx, c.caller, arn)
	if err != nil {
		return nil, err
	}
	return map[string]any{"Connection": s.connectionOut(conn)}, nil
}

func (s *Server) deleteConnection(ctx context.Context, c *call) (any, error) {
	arn, err := s.connectionArnCall(c)
	if err != nil {
		return nil, err
	}
	return nil, s.Service.DeleteConnection(ctx, c.caller, arn)
}

func (s *Server) listConnections(ctx context.Context, c *call) (any, error) {
	var in struct {
		ProviderTypeFilter string `json:"ProviderTypeFilter"`
		HostArnFilter      string `json:"HostArnFilter"`
		MaxResults         *int   `json:"MaxResults"`
		NextToken          string `json:"NextToken"`
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	var m members
	m.opt("ProviderTypeFilter", in.ProviderTypeFilter, providerTypeRule)
	m.opt("HostArnFilter", in.HostArnFilter, hostArnRule)
	m.between("MaxResults", in.MaxResults, 0, 100)
	m.opt("NextToken", in.NextToken, nextTokenRule)
	if err := m.err(); err != nil {
		return nil, err
	}
	conns, next, err := s.Service.ListConnections(ctx, c.caller, service.ConnectionFilter{ProviderType: in.ProviderTypeFilter,
		HostARN: in.HostArnFilter, Page: sluice.Page{Token: in.NextToken, Limit: pageSize(in.MaxResults)}})
	if err != nil {
		return nil, err
	}
	out := []connectionOut{}
	for _, conn := range conns {
		out = append(out, s.connectionOut(conn))
	}
	return struct {
		Connections []connectionOut `json:"Connections"`
		NextToken   string          `json:"NextToken,omitempty"`
	}{out, next}, nil
}

// updateConnectionCredentials sets what a connection authenticates with; members left out
// keep their value, an empty string clears one.
func (s *Server) updateConnectionCredentials(ctx context.Context, c *call) (any, error) {
	var in struct {
		ConnectionArn string  `json:"ConnectionArn"`
		Username      *string `json:"Username"`
		Secret        *string `json:"Secret"`
		SSHKey        *string `json:"SshKey"`
		WebhookSecret *string `json:"WebhookSecret"`
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	var m members
	m.need("ConnectionArn", in.ConnectionArn, connArnRule)
	for name, v := range map[string]*string{"Username": in.Username, "Secret": in.Secret, "SshKey": in.SSHKey, "WebhookSecret": in.WebhookSecret} {
		if v != nil {
			m.present(name, *v, credentialRule)
		}
	}
	if err := m.err(); err != nil {
		return nil, err
	}
	return nil, s.Service.UpdateConnectionCredentials(ctx, c.caller, service.CredentialsParams{ConnectionARN: in.ConnectionArn,
		Username: in.Username, Secret: in.Secret, SSHKey: in.SSHKey, WebhookSecret: in.WebhookSecret})
}

type hostOut struct {
	Name             string `json:"Name"`
	HostArn          string `json:"HostArn,omitempty"`
	ProviderType     string `json:"ProviderType"`
	ProviderEndpoint string `json:"ProviderEndpoint"`
	Status           string `json:"Status"`
}

func hostWire(h *sluice.Host) hostOut {
	return hostOut{Name: h.Name, HostArn: h.ARN, ProviderType: h.ProviderType, ProviderEndpoint: h.Endpoint, Status: h.Status}
}

func (s *Server) createHost(ctx context.Context, c *call) (any, error) {
	var in struct {
		Name             string    `json:"Name"`
		ProviderType     string    `json:"ProviderType"`
		ProviderEndpoint string    `json:"ProviderEndpoint"`
		Tags             []connTag `json:"Tags"`
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	var m members
	m.need("Name", in.Name, hostNameRule)
	m.need("ProviderType", in.ProviderType, providerTypeRule)
	m.need("ProviderEndpoint", in.ProviderEndpoint, endpointRule)
	if err := m.err(); err != nil {
		return nil, err
	}
	h, err := s.Service.CreateHost(ctx, c.caller, service.HostParams{Name: in.Name, ProviderType: in.ProviderType, Endpoint: in.ProviderEndpoint})
	if err != nil {
		return nil, err
	}
	return map[string]any{"HostArn": h.ARN, "Tags": in.Tags}, nil
}

func (s *Server) hostArnCall(c *call) (string, error) {
	var in struct {
		HostArn string `json:"HostArn"`
	}
	if err := decode(c.body, &in); err != nil {
		return "", err
	}
	var m members
	m.need("HostArn", in.HostArn, hostArnRule)
	return in.HostArn, m.err()
}

func (s *Server) getHost(ctx context.Context, c *call) (any, error) {
	arn, err := s.hostArnCall(c)
	if err != nil {
		return nil, err
	}
	h, err := s.Service.GetHost(ctx, c.caller, arn)
	if err != nil {
		return nil, err
	}
	out := hostWire(h)
	out.HostArn = "" // GetHost answers the host's members without its ARN
	return out, nil
}

func (s *Server) deleteHost(ctx context.Context, c *call) (any, error) {
	arn, err := s.hostArnCall(c)
	if err != nil {
		return nil, err
	}
	return nil, s.Service.DeleteHost(ctx, c.caller, arn)
}

func (s *Server) listHosts(ctx context.Context, c *call) (any, error) {
	var in struct {
		MaxResults *int   `json:"MaxResults"`
		NextToken  string `json:"NextToken"`
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	var m members
	m.between("MaxResults", in.MaxResults, 0, 100)
	m.opt("NextToken", in.NextToken, nextTokenRule)
	if err := m.err(); err != nil {
		return nil, err
	}
	hosts, next, err := s.Service.ListHosts(ctx, c.caller, sluice.Page{Token: in.NextToken, Limit: pageSize(in.MaxResults)})
	if err != nil {
		return nil, err
	}
	out := []hostOut{}
	for _, h := range hosts {
		out = append(out, hostWire(h))
	}
	return struct {
		Hosts     []hostOut `json:"Hosts"`
		NextToken string    `json:"NextToken,omitempty"`
	}{out, next}, nil
}

// connectionRoutes are the connection operations under both services' targets.
func (s *Server) connectionRoutes(out map[string]handler) {
	ops := map[string]handler{
		"CreateConnection": s.createConnection, "GetConnection": s.getConnection,
		"ListConnections": s.listConnections, "DeleteConnection": s.deleteConnection,
		"CreateHost": s.createHost, "GetHost": s.getHost, "ListHosts": s.listHosts, "DeleteHost": s.deleteHost,
	}
	for k, h := range ops {
		for _, prefix := range connectionTargets {
			out[prefix+k] = h
		}
	}
	out[sluiceConnTarget+"UpdateConnectionCredentials"] = s.updateConnectionCredentials
	out[sluiceConnTarget+"ListWebhookDeliveries"] = s.listWebhookDeliveries
}
