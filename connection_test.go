package sluice_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
)

func TestConnectionURLs(t *testing.T) {
	t.Parallel()
	cases := []struct {
		provider, endpoint, repo, clone, commit, user string
	}{
		{sluice.ProviderGitHub, "https://github.com", "acme/app", "https://github.com/acme/app.git", "https://github.com/acme/app/commit/abc", "x-access-token"},
		{sluice.ProviderGitHubEnterprise, "https://ghe.example.com/", "acme/app.git", "https://ghe.example.com/acme/app.git", "https://ghe.example.com/acme/app/commit/abc", "x-access-token"},
		{sluice.ProviderGitLab, "https://gitlab.com", "group/sub/app", "https://gitlab.com/group/sub/app.git", "https://gitlab.com/group/sub/app/-/commit/abc", "oauth2"},
		{sluice.ProviderBitbucket, "https://bitbucket.org", "team/app", "https://bitbucket.org/team/app.git", "https://bitbucket.org/team/app/commits/abc", "x-token-auth"},
		{sluice.ProviderGit, "https://git.example.com/scm", "app", "https://git.example.com/scm/app", "", "x-access-token"},
	}
	for _, c := range cases {
		t.Run(c.provider, func(t *testing.T) {
			t.Parallel()
			conn := &sluice.Connection{ProviderType: c.provider, Endpoint: c.endpoint}
			require.Equal(t, c.clone, conn.RepositoryURL(c.repo))
			require.Equal(t, c.commit, conn.CommitURL(c.repo, "abc"))
			require.Equal(t, c.user, conn.HTTPUser())
			conn.Username = "me"
			require.Equal(t, "me", conn.HTTPUser(), "a configured user name wins")
		})
	}
}
