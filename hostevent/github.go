package hostevent

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"sluice"
)

// githubMaxCommits is the most commits GitHub lists in a push delivery; a push listing that
// many may have had more, whose files are then missing.
const githubMaxCommits = 2048

type githubRepo struct {
	FullName string `json:"full_name"`
	CloneURL string `json:"clone_url"`
}

type githubPush struct {
	Ref        string       `json:"ref"`
	Before     string       `json:"before"`
	After      string       `json:"after"`
	Created    bool         `json:"created"`
	Deleted    bool         `json:"deleted"`
	Commits    []pushCommit `json:"commits"`
	HeadCommit *pushCommit  `json:"head_commit"`
	Repository githubRepo   `json:"repository"`
}

type githubPullRequest struct {
	Action      string `json:"action"`
	Number      int    `json:"number"`
	PullRequest struct {
		Number  int    `json:"number"`
		Title   string `json:"title"`
		HTMLURL string `json:"html_url"`
		Merged  bool   `json:"merged"`
		Head    struct {
			Ref string `json:"ref"`
			SHA string `json:"sha"`
		} `json:"head"`
		Base struct {
			Ref string `json:"ref"`
		} `json:"base"`
	} `json:"pull_request"`
	Repository githubRepo `json:"repository"`
}

// githubPRActions maps pull_request actions to filter events (SEMANTICS §8.2); other actions
// (edited, labeled, ...) start nothing.
var githubPRActions = map[string]sluice.PullRequestAction{
	"opened":      sluice.PullRequestOpen,
	"reopened":    sluice.PullRequestOpen,
	"synchronize": sluice.PullRequestUpdated,
	"closed":      sluice.PullRequestClosed,
}

func parseGitHub(header http.Header, body []byte) (*sluice.GitEvent, error) {
	event := header.Get("X-GitHub-Event")
	if event == "" {
		return nil, malformed(ProviderGitHub, event, errors.New("no X-GitHub-Event header"))
	}
	body, err := githubJSON(header, body)
	if err != nil {
		return nil, malformed(ProviderGitHub, event, err)
	}
	var ev *sluice.GitEvent
	switch event {
	case "push":
		ev, err = githubPushEvent(body)
	case "pull_request":
		ev, err = githubPREvent(body)
	default:
		var other struct {
			Repository githubRepo `json:"repository"`
		}
		err = json.Unmarshal(body, &other)
		ev = ignored("GitHub " + event + " events start nothing")
		if event == "ping" {
			ev = &sluice.GitEvent{Kind: sluice.GitEventPing}
		}
		ev.Repository, ev.CloneURL = other.Repository.FullName, other.Repository.CloneURL
	}
	if err != nil {
		return nil, malformed(ProviderGitHub, event, err)
	}
	ev.DeliveryID, ev.HookID = header.Get("X-GitHub-Delivery"), header.Get("X-GitHub-Hook-ID")
	return ev, nil
}

// githubJSON unwraps a hook configured with content type "form", which posts the JSON as the
// form field "payload"; the signature still covers the raw form body.
func githubJSON(header http.Header, body []byte) ([]byte, error) {
	if !strings.HasPrefix(header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		return body, nil
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, err
	}
	return []byte(form.Get("payload")), nil
}

func githubPushEvent(body []byte) (*sluice.GitEvent, error) {
	var p githubPush
	if err := json.Unmarshal(body, &p); err != nil {
		return nil, err
	}
	ev := &sluice.GitEvent{Kind: sluice.GitEventPush, Repository: p.Repository.FullName, CloneURL: p.Repository.CloneURL,
		Created: p.Created, Deleted: p.Deleted, Before: p.Before, After: p.After,
		FilesListed: true, FilesTruncated: len(p.Commits) >= githubMaxCommits}
	pushedRef(ev, p.Ref)
	var files fileList
	for _, c := range p.Commits {
		files.add(c.Added, c.Modified, c.Removed)
	}
	ev.ChangedFiles = files.files
	if p.HeadCommit != nil {
		ev.HeadCommit = p.HeadCommit.commit()
	}
	return ev, nil
}

func githubPREvent(body []byte) (*sluice.GitEvent, error) {
	var p githubPullRequest
	if err := json.Unmarshal(body, &p); err != nil {
		return nil, err
	}
	action, ok := githubPRActions[p.Action]
	if !ok {
		ev := ignored("GitHub pull request action " + p.Action + " starts nothing")
		ev.Repository, ev.CloneURL = p.Repository.FullName, p.Repository.CloneURL
		return ev, nil
	}
	pr := p.PullRequest
	number := pr.Number
	if number == 0 {
		number = p.Number
	}
	return &sluice.GitEvent{Kind: sluice.GitEventPullRequest, Repository: p.Repository.FullName, CloneURL: p.Repository.CloneURL,
		HeadCommit: sluice.GitCommit{ID: pr.Head.SHA},
		PullRequest: &sluice.GitPullRequest{Number: number, Action: action, Merged: action == sluice.PullRequestClosed && pr.Merged,
			SourceBranch: pr.Head.Ref, TargetBranch: pr.Base.Ref, HeadCommitID: pr.Head.SHA, Title: pr.Title, URL: pr.HTMLURL},
	}, nil
}
