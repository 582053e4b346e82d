package sluice

import (
	"strings"
	"time"
)

// Connection provider types: CodeStar connections' ProviderType, and Sluice's "Git" for any
// git server reached at a host's endpoint.
const (
	ProviderGitHub           = "GitHub"
	ProviderGitHubEnterprise = "GitHubEnterpriseServer"
	ProviderGitLab           = "GitLab"
	ProviderGitLabSelf       = "GitLabSelfManaged"
	ProviderBitbucket        = "Bitbucket"
	ProviderGit              = "Git"
)

// Connection statuses (CodeStar connections' ConnectionStatus).
const (
	ConnectionPending   = "PENDING"
	ConnectionAvailable = "AVAILABLE"
	ConnectionError     = "ERROR"
)

// Connection is a CodeStar connection: how Sluice reaches the repositories of one account
// on a git host. Secret, SSHKey and WebhookSecret are secrets: the API never answers them.
type Connection struct {
	ARN          string
	Name         string
	ProviderType string
	HostARN      string
	// Endpoint is the base URL repositories live under ("https://github.com", or the host's
	// ProviderEndpoint).
	Endpoint string
	Status   string
	// Username goes with Secret (a token or password) for HTTP; "" takes the provider's
	// usual one for tokens.
	Username      string
	Secret        string
	SSHKey        string
	WebhookSecret string
	Created       time.Time
}

// RepositoryURL is the clone URL of repository id ("owner/repo") over the connection.
func (c *Connection) RepositoryURL(id string) string {
	base := strings.TrimSuffix(c.Endpoint, "/") + "/" + strings.Trim(id, "/")
	if c.ProviderType == ProviderGit || strings.HasSuffix(base, ".git") {
		return base
	}
	return base + ".git"
}

// CommitURL links to a commit of repository id on its host's web interface ("" for plain
// git servers, which have none).
func (c *Connection) CommitURL(id, sha string) string {
	base := strings.TrimSuffix(c.Endpoint, "/") + "/" + strings.TrimSuffix(strings.Trim(id, "/"), ".git")
	switch c.ProviderType {
	case ProviderGitHub, ProviderGitHubEnterprise:
		return base + "/commit/" + sha
	case ProviderGitLab, ProviderGitLabSelf:
		return base + "/-/commit/" + sha
	case ProviderBitbucket:
		return base + "/commits/" + sha
	}
	return ""
}

// HTTPUser is the user name sent with Secret: Username, or what the provider expects with a
// token.
func (c *Connection) HTTPUser() string {
	switch {
	case c.Username != "":
		return c.Username
	case c.ProviderType == ProviderGitLab || c.ProviderType == ProviderGitLabSelf:
		return "oauth2"
	case c.ProviderType == ProviderBitbucket:
		return "x-token-auth"
	}
	return "x-access-token"
}

// Host is a CodeStar connections host: the endpoint of a self-managed git server
// (GitHubEnterpriseServer, GitLabSelfManaged, or Sluice's Git).
type Host struct {
	ARN          string
	Name         string
	ProviderType string
	Endpoint     string
	Status       string // AVAILABLE: Sluice needs no VPC set-up
	Created      time.Time
}
