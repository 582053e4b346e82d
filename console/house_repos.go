package console

import (
	"net/http"

	"sluice"
	"sluice/service"
)

type repoRow struct {
	*sluice.Repository
	CloneURL string
}

// reposPage lists the hosted repositories with their clone URLs.
func (c *Console) reposPage(w http.ResponseWriter, r *http.Request, s *session) {
	list, err := c.Service.ListRepositories(r.Context(), s.caller)
	if err != nil {
		c.failed(w, r, s, err)
		return
	}
	base := c.baseURL(r)
	rows := make([]repoRow, 0, len(list))
	for _, repo := range list {
		rows = append(rows, repoRow{Repository: repo, CloneURL: cloneURL(base, repo.Name)})
	}
	c.render(w, r, s, http.StatusOK, "repositories", rows)
}

type repoData struct {
	*service.RepositoryView
	CloneURL string
}

// repoPage shows a repository: its clone URL, branches, and the recent commits of one.
func (c *Console) repoPage(w http.ResponseWriter, r *http.Request, s *session) {
	name := r.PathValue("name")
	v, err := c.Service.BrowseRepository(r.Context(), s.caller, name, r.URL.Query().Get("branch"), 0)
	if err != nil {
		c.failed(w, r, s, err)
		return
	}
	c.render(w, r, s, http.StatusOK, "repository", repoData{RepositoryView: v, CloneURL: cloneURL(c.baseURL(r), v.Name)})
}
