package ociregistry

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// do sends a request for repo, answering one authentication challenge: the registry says
// in WWW-Authenticate whether it wants basic credentials or a bearer token from its token
// service. The header that worked is kept per repository and sent first next time, so a
// poll costs one round trip, not three.
func (c *Client) do(ctx context.Context, repo Repository, method, path string, accept []string) (*http.Response, error) {
	key := repo.String()
	c.mu.Lock()
	auth := c.auth[key]
	c.mu.Unlock()
	u := repo.Base.JoinPath(path)
	resp, err := c.send(ctx, method, u.String(), accept, auth)
	if err != nil || resp.StatusCode != http.StatusUnauthorized {
		return resp, err
	}
	challenge := resp.Header.Get("WWW-Authenticate")
	drain(resp)
	if auth, err = c.authorize(ctx, repo, challenge); err != nil {
		return nil, err
	}
	if resp, err = c.send(ctx, method, u.String(), accept, auth); err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusUnauthorized {
		c.mu.Lock()
		if c.auth == nil {
			c.auth = map[string]string{}
		}
		c.auth[key] = auth
		c.mu.Unlock()
	}
	return resp, nil
}

func (c *Client) send(ctx context.Context, method, u string, accept []string, auth string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, u, nil)
	if err != nil {
		return nil, err
	}
	if len(accept) > 0 {
		req.Header.Set("Accept", strings.Join(accept, ", "))
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	return c.http().Do(req)
}

// authorize answers a challenge with an Authorization header value.
func (c *Client) authorize(ctx context.Context, repo Repository, challenge string) (string, error) {
	scheme, params := parseChallenge(challenge)
	user, pass, haveCreds := c.credentials(repo)
	switch strings.ToLower(scheme) {
	case "basic":
		if !haveCreds {
			return "", fmt.Errorf("%w: registry %s asks for a username and password; %s", ErrUnauthorized, repo.Host(), c.credentialHint(repo))
		}
		req := &http.Request{Header: http.Header{}}
		req.SetBasicAuth(user, pass)
		return req.Header.Get("Authorization"), nil
	case "bearer":
		return c.token(ctx, repo, params)
	default:
		return "", fmt.Errorf("%w: registry %s answered 401 with the challenge %q, which Sluice cannot answer", ErrUnauthorized, repo.Host(), challenge)
	}
}

// token asks the registry's token service for a pull token (the distribution token
// protocol): GET realm?service=...&scope=..., with basic credentials when there are any.
func (c *Client) token(ctx context.Context, repo Repository, params map[string]string) (string, error) {
	realm, err := url.Parse(params["realm"])
	if err != nil || (realm.Scheme != "https" && realm.Scheme != "http") || realm.Host == "" {
		return "", fmt.Errorf("%w: registry %s names the token service %q, which is not an http(s) URL", ErrUnauthorized, repo.Host(), params["realm"])
	}
	if realm.Scheme == "http" && repo.Base.Scheme != "http" {
		// Credentials sent to the token service would travel in clear from an https registry.
		return "", fmt.Errorf("%w: registry %s names the token service %q over plain http", ErrUnauthorized, repo.Host(), params["realm"])
	}
	q := realm.Query()
	if s := params["service"]; s != "" {
		q.Set("service", s)
	}
	scope := params["scope"]
	if scope == "" {
		scope = "repository:" + repo.Name + ":pull"
	}
	q.Set("scope", scope)
	realm.RawQuery = q.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, realm.String(), nil)
	if err != nil {
		return "", err
	}
	if user, pass, ok := c.credentials(repo); ok {
		req.SetBasicAuth(user, pass)
	}
	resp, err := c.http().Do(req)
	if err != nil {
		return "", fmt.Errorf("token service of %s: %w", repo.Host(), err)
	}
	defer drain(resp)
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("%w: the token service of %s answered %s; %s", ErrUnauthorized, repo.Host(), resp.Status, c.credentialHint(repo))
	}
	var body struct {
		Token       string `json:"token"`
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&body); err != nil {
		return "", fmt.Errorf("token service of %s: %w", repo.Host(), err)
	}
	tok := body.Token
	if tok == "" {
		tok = body.AccessToken
	}
	if tok == "" {
		return "", fmt.Errorf("%w: the token service of %s sent no token", ErrUnauthorized, repo.Host())
	}
	return "Bearer " + tok, nil
}

func (c *Client) credentialHint(repo Repository) string {
	if _, _, ok := c.credentials(repo); ok {
		return "check the registry username and password"
	}
	if c.Default != nil && strings.EqualFold(c.Default.Host, repo.Host()) {
		return "set the server's --registry-username and SLUICE_REGISTRY_PASSWORD"
	}
	return "Sluice sends credentials only to the --registry host"
}

// parseChallenge reads `Scheme k="v", k2=v2`; quoted values may hold commas.
func parseChallenge(h string) (string, map[string]string) {
	scheme, rest, _ := strings.Cut(strings.TrimSpace(h), " ")
	params := map[string]string{}
	for rest = strings.TrimSpace(rest); rest != ""; {
		k, after, ok := strings.Cut(rest, "=")
		if !ok {
			break
		}
		k = strings.ToLower(strings.TrimSpace(k))
		var v string
		if strings.HasPrefix(after, `"`) {
			end := closingQuote(after)
			v = strings.ReplaceAll(after[1:end], `\"`, `"`)
			after = after[min(end+1, len(after)):]
		} else {
			v, after, _ = strings.Cut(after, ",")
			v = strings.TrimSpace(v)
			after = "," + after
		}
		params[k] = v
		_, rest, _ = strings.Cut(after, ",")
		rest = strings.TrimSpace(rest)
	}
	return scheme, params
}

// closingQuote returns the index of the quote ending the quoted string s starts with.
func closingQuote(s string) int {
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			return i
		}
	}
	return len(s)
}

// drain reads a little of an unused body so the connection can be reused, and closes it.
func drain(resp *http.Response) {
	_, _ = io.CopyN(io.Discard, resp.Body, 64<<10)
	resp.Body.Close()
}
