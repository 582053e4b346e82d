package hostevent

import (
	"encoding/json"
	"errors"
	"net/http"

	"sluice"
)

type gitlabProject struct {
	PathWithNamespace string `json:"path_with_namespace"`
	GitHTTPURL        string `json:"git_http_url"`
}

type gitlabPush struct {
	Ref               string        `json:"ref"`
	Before            string        `json:"before"`
	After             string        `json:"after"`
	CheckoutSHA       string        `json:"checkout_sha"`
	Commits           []pushCommit  `json:"commits"`
	TotalCommitsCount int           `json:"total_commits_count"`
	Project           gitlabProject `json:"project"`
}

type gitlabMergeRequest struct {
	Project          gitlabProject `json:"project"`
	ObjectAttributes struct {
		IID          int        `json:"iid"`
		Title        string     `json:"title"`
		URL          string     `json:"url"`
		Action       string     `json:"action"`
		SourceBranch string     `json:"source_branch"`
		TargetBranch string     `json:"target_branch"`
		OldRev       string     `json:"oldrev"`
		LastCommit   pushCommit `json:"last_commit"`
	} `json:"object_attributes"`
}

// gitlabEventKinds maps the X-Gitlab-Event header to the payload's object_kind; a system
// hook names the kind only in the body.
var gitlabEventKinds = map[string]string{
	"Push Hook":          "push",
	"Tag Push Hook":      "tag_push",
	"Merge Request Hook": "merge_request",
}

func parseGitLab(header http.Header, body []byte) (*sluice.GitEvent, error) {
	event := header.Get("X-Gitlab-Event")
	if event == "" {
		return nil, malformed(ProviderGitLab, event, errors.New("no X-Gitlab-Event header"))
	}
	var head struct {
		ObjectKind string        `json:"object_kind"`
		Project    gitlabProject `json:"project"`
	}
	if err := json.Unmarshal(body, &head); err != nil {
		return nil, malformed(ProviderGitLab, event, err)
	}
	kind, ok := gitlabEventKinds[event]
	if event == "System Hook" {
		kind, ok = head.ObjectKind, true
	}
	var (
		ev  *sluice.GitEvent
		err error
	)
	switch {
	case ok && (kind == "push" || kind == "tag_push"):
		ev, err = gitlabPushEvent(body)
	case ok && kind == "merge_request":
		ev, err = gitlabMREvent(body)
	default:
		ev = ignored("GitLab " + event + " events start nothing")
		ev.Repository, ev.CloneURL = head.Project.PathWithNamespace, head.Project.GitHTTPURL
	}
	if err != nil {
		return nil, malformed(ProviderGitLab, event, err)
	}
	// Idempotency-Key stays the same when GitLab retries or resends a delivery; the event
	// UUID is only a recursion-detection id, new per attempt (older GitLab sends no key).
	ev.DeliveryID = header.Get("Idempotency-Key")
	if ev.DeliveryID == "" {
		ev.DeliveryID = header.Get("X-Gitlab-Event-UUID")
	}
	return ev, nil
}

// gitlabPushEvent reads a push or tag push. GitLab has no created/deleted flags: the zero
// object id on one side says it. It lists at most 20 commits, total_commits_count all of them.
func gitlabPushEvent(body []byte) (*sluice.GitEvent, error) {
	var p gitlabPush
	if err := json.Unmarshal(body, &p); err != nil {
		return nil, err
	}
	ev := &sluice.GitEvent{Kind: sluice.GitEventPush, Repository: p.Project.PathWithNamespace, CloneURL: p.Project.GitHTTPURL,
		Created: isZeroSHA(p.Before), Deleted: isZeroSHA(p.After), Before: p.Before, After: p.After,
		FilesListed: true, FilesTruncated: p.TotalCommitsCount > len(p.Commits)}
	pushedRef(ev, p.Ref)
	var files fileList
	for _, c := range p.Commits {
		files.add(c.Added, c.Modified, c.Removed)
	}
	ev.ChangedFiles = files.files
	// The tip is the commit checkout_sha names (for an annotated tag, After is the tag object).
	tip := p.CheckoutSHA
	if tip == "" && !ev.Deleted {
		tip = p.After
	}
	ev.HeadCommit.ID = tip
	for _, c := range p.Commits {
		if c.ID == tip {
			ev.HeadCommit = c.commit()
		}
	}
	return ev, nil
}

// gitlabMREvent maps merge request actions to filter events (SEMANTICS §8.2). GitLab sends
// "update" for any edit; only an update carrying oldrev pushed new commits, the counterpart
// of GitHub's synchronize, so only that one is UPDATED.
func gitlabMREvent(body []byte) (*sluice.GitEvent, error) {
	var m gitlabMergeRequest
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, err
	}
	a := m.ObjectAttributes
	var action sluice.PullRequestAction
	switch a.Action {
	case "open", "reopen":
		action = sluice.PullRequestOpen
	case "update":
		if a.OldRev != "" {
			action = sluice.PullRequestUpdated
		}
	case "merge", "close":
		action = sluice.PullRequestClosed
	}
	if action == "" {
		ev := ignored("GitLab merge request action " + a.Action + " starts nothing")
		if a.Action == "update" {
			ev.Reason = "GitLab merge request update without new commits starts nothing"
		}
		ev.Repository, ev.CloneURL = m.Project.PathWithNamespace, m.Project.GitHTTPURL
		return ev, nil
	}
	return &sluice.GitEvent{Kind: sluice.GitEventPullRequest, Repository: m.Project.PathWithNamespace, CloneURL: m.Project.GitHTTPURL,
		HeadCommit: a.LastCommit.commit(),
		PullRequest: &sluice.GitPullRequest{Number: a.IID, Action: action, Merged: a.Action == "merge",
			SourceBranch: a.SourceBranch, TargetBranch: a.TargetBranch, HeadCommitID: a.LastCommit.ID, Title: a.Title, URL: a.URL},
	}, nil
}
