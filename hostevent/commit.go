package hostevent

import "sluice"

// pushCommit is a commit of a push delivery: GitHub and GitLab send the same members.
type pushCommit struct {
	ID        string `json:"id"`
	Message   string `json:"message"`
	Timestamp string `json:"timestamp"`
	URL       string `json:"url"`
	Author    struct {
		Name  string `json:"name"`
		Email string `json:"email"`
	} `json:"author"`
	Added    []string `json:"added"`
	Modified []string `json:"modified"`
	Removed  []string `json:"removed"`
}

func (c *pushCommit) commit() sluice.GitCommit {
	return sluice.GitCommit{ID: c.ID, Message: c.Message, AuthorName: c.Author.Name, AuthorEmail: c.Author.Email,
		Timestamp: parseTime(c.Timestamp), URL: c.URL}
}
