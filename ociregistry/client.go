// Package ociregistry is a small client of the OCI distribution API (the Docker registry
// HTTP API v2): it resolves a tag to a manifest digest, reads manifests and small blobs, and
// answers the registry's authentication challenge (anonymous, basic, or a bearer token from
// the registry's token service). It holds nothing of any one registry product, so image
// sources work with Docker Distribution, Harbor, Zot, GitLab, GHCR or ECR alike.
package ociregistry

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"
)

// Client reaches registries. The zero value reaches only repositories named with their
// registry host; set Default to name repositories of one registry by their path alone.
// A Client is safe for concurrent use.
type Client struct {
	// Default is the registry of repository names without a host ("team/app"), such as
	// http://127.0.0.1:5000 or https://registry.example.com.
	Default *url.URL
	// Username and Password are sent to Default's host only (and to the token service it
	// names), never to a registry a repository name points at explicitly.
	Username, Password string
	// HTTP sends the requests; nil means a client with a one-minute timeout.
	HTTP *http.Client

	mu   sync.Mutex
	auth map[string]string // host/repository -> the Authorization header that last worked
}

// Repository is one repository of one registry.
type Repository struct {
	Base *url.URL // scheme and host of the registry
	Name string   // the repository path, such as "team/app"
}

// Host is the registry's host[:port], as image references write it.
func (r Repository) Host() string { return r.Base.Host }

// String is the repository as an image reference writes it: host/name.
func (r Repository) String() string { return r.Base.Host + "/" + r.Name }

// Errors the client returns, wrapped with what the registry said.
var (
	ErrNotFound     = errors.New("not found")
	ErrUnauthorized = errors.New("unauthorized")
	ErrInvalid      = errors.New("invalid")
)

// namePattern is the distribution spec's repository name grammar; tagPattern its tag's.
var (
	namePattern = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*$`)
	})
	tagPattern    = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$`) })
	digestPattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^sha256:[a-f0-9]{64}$`) })
)

// ValidTag reports whether tag is a tag the distribution spec allows.
func ValidTag(tag string) bool { return tagPattern().MatchString(tag) }

// ValidDigest reports whether d is a sha256 digest ("sha256:" and 64 hex digits), the only
// algorithm registries use for manifests.
func ValidDigest(d string) bool { return digestPattern().MatchString(d) }

// checkReference refuses a reference that is neither a tag nor a digest before it goes
// into a URL path.
func checkReference(ref string) error {
	if ValidTag(ref) || ValidDigest(ref) {
		return nil
	}
	return fmt.Errorf("%w: %q is neither a tag nor a sha256 digest", ErrInvalid, ref)
}

// Parse reads a repository name: "team/app" lives in the Default registry;
// "host[:port]/team/app" (the first element has a '.' or a ':' or is "localhost") names
// its registry, reached over https unless the host is Default's (Default's scheme) or a
// loopback address (http, as docker does); "http://host/team/app" names the scheme too.
func (c *Client) Parse(name string) (Repository, error) {
	scheme := ""
	for _, s := range []string{"http", "https"} {
		if rest, ok := strings.CutPrefix(name, s+"://"); ok {
			scheme, name = s, rest
		}
	}
	first, rest, hasSlash := strings.Cut(name, "/")
	explicit := scheme != "" || (hasSlash && (strings.ContainsAny(first, ".:") || first == "localhost"))
	var base *url.URL
	switch {
	case explicit:
		if !hasSlash || first == "" {
			return Repository{}, fmt.Errorf("%w: repository %q names a registry but no repository in it", ErrInvalid, name)
		}
		base, name = &url.URL{Scheme: scheme, Host: first}, rest
		if base.Scheme == "" {
			base.Scheme = c.schemeFor(first)
		}
	case c.Default != nil:
		base = &url.URL{Scheme: c.Default.Scheme, Host: c.Default.Host}
	default:
		return Repository{}, fmt.Errorf("%w: repository %q has no registry host, and no default registry is set "+
			"(name it host:port/%s, or set the server's --registry)", ErrInvalid, name, name)
	}
	if !namePattern().MatchString(name) {
		return Repository{}, fmt.Errorf("%w: %q is not a repository name (lower-case path elements of letters, digits and . _ -)", ErrInvalid, name)
	}
	return Repository{Base: base, Name: name}, nil
}

func (c *Client) schemeFor(host string) string {
	if c.Default != nil && strings.EqualFold(c.Default.Host, host) {
		return c.Default.Scheme
	}
	h := host
	if hh, _, err := net.SplitHostPort(host); err == nil {
		h = hh
	}
	if ip := net.ParseIP(strings.Trim(h, "[]")); h == "localhost" || (ip != nil && ip.IsLoopback()) {
		return "http"
	}
	return "https"
}

func (c *Client) http() *http.Client {
	if c.HTTP != nil {
		return c.HTTP
	}
	return defaultHTTP
}

var defaultHTTP = &http.Client{Timeout: time.Minute}

// credentials returns the username and password for repo, if it lives on Default's host
// reached with Default's scheme: a reference naming http:// for an https registry must not
// carry the credentials in clear.
func (c *Client) credentials(repo Repository) (string, string, bool) {
	if c.Default == nil || c.Username == "" || !strings.EqualFold(c.Default.Host, repo.Host()) ||
		!strings.EqualFold(c.Default.Scheme, repo.Base.Scheme) {
		return "", "", false
	}
	return c.Username, c.Password, true
}
