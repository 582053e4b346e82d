package hostevent

import (
	"encoding/json"

	"sluice"
)

type bitbucketServerRepo struct {
	Slug    string `json:"slug"`
	Project struct {
		Key string `json:"key"`
	} `json:"project"`
	Links struct {
		Clone []struct {
			Href string `json:"href"`
			Name string `json:"name"` // http or ssh
		} `json:"clone"`
	} `json:"links"`
}

// names returns the repository's full name ("PROJECT/slug") and HTTP clone URL.
func (r *bitbucketServerRepo) names() (fullName, cloneURL string) {
	if r.Slug != "" {
		fullName = r.Project.Key + "/" + r.Slug
	}
	for _, c := range r.Links.Clone {
		if c.Name == "http" {
			cloneURL = c.Href
		}
	}
	return fullName, cloneURL
}

type bitbucketServerUser struct {
	DisplayName  string `json:"displayName"`
	EmailAddress string `json:"emailAddress"`
}

type bitbucketServerRefsChanged struct {
	Actor      bitbucketServerUser `json:"actor"`
	Repository bitbucketServerRepo `json:"repository"`
	Changes    []struct {
		RefID    string `json:"refId"`
		FromHash string `json:"fromHash"`
		ToHash   string `json:"toHash"`
		Type     string `json:"type"` // ADD, UPDATE or DELETE
	} `json:"changes"`
}

type bitbucketServerRef struct {
	ID           string              `json:"id"`
	DisplayID    string              `json:"displayId"`
	LatestCommit string              `json:"latestCommit"`
	Repository   bitbucketServerRepo `json:"repository"`
}

type bitbucketServerPR struct {
	PullRequest struct {
		ID    int    `json:"id"`
		Title string `json:"title"`
		Links struct {
			Self []struct {
				Href string `json:"href"`
			} `json:"self"`
		} `json:"links"`
		FromRef bitbucketServerRef `json:"fromRef"`
		ToRef   bitbucketServerRef `json:"toRef"`
	} `json:"pullRequest"`
}

// bitbucketServerPushEvent reads repo:refs_changed, one event per ref change. The delivery
// names commits by hash only and lists no files; the pusher stands in for the author.
func bitbucketServerPushEvent(body []byte) (*sluice.GitEvent, error) {
	var p bitbucketServerRefsChanged
	if err := json.Unmarshal(body, &p); err != nil {
		return nil, err
	}
	repo, clone := p.Repository.names()
	var evs []sluice.GitEvent
	for _, c := range p.Changes {
		ev := sluice.GitEvent{Kind: sluice.GitEventPush, Repository: repo, CloneURL: clone,
			Created: c.Type == "ADD" || isZeroSHA(c.FromHash), Deleted: c.Type == "DELETE" || isZeroSHA(c.ToHash),
			Before: c.FromHash, After: c.ToHash}
		if !ev.Deleted {
			ev.HeadCommit = sluice.GitCommit{ID: c.ToHash, AuthorName: p.Actor.DisplayName, AuthorEmail: p.Actor.EmailAddress}
		}
		pushedRef(&ev, c.RefID)
		evs = append(evs, ev)
	}
	return refChanges(evs, repo, clone), nil
}

func bitbucketServerPREvent(body []byte, action sluice.PullRequestAction) (*sluice.GitEvent, error) {
	var p bitbucketServerPR
	if err := json.Unmarshal(body, &p); err != nil {
		return nil, err
	}
	pr := p.PullRequest
	repo, clone := pr.ToRef.Repository.names()
	ev := &sluice.GitEvent{Kind: sluice.GitEventPullRequest, Repository: repo, CloneURL: clone,
		HeadCommit: sluice.GitCommit{ID: pr.FromRef.LatestCommit},
		PullRequest: &sluice.GitPullRequest{Number: pr.ID, Action: action, Merged: action == sluice.PullRequestClosed,
			SourceBranch: shortBranch(pr.FromRef), TargetBranch: shortBranch(pr.ToRef), HeadCommitID: pr.FromRef.LatestCommit,
			Title: pr.Title}}
	if len(pr.Links.Self) > 0 {
		ev.PullRequest.URL = pr.Links.Self[0].Href
	}
	return ev, nil
}

// shortBranch is a ref's branch name: displayId, or the id without refs/heads/.
func shortBranch(r bitbucketServerRef) string {
	var ev sluice.GitEvent
	if setRef(&ev, r.ID) && ev.Branch != "" {
		return ev.Branch
	}
	return r.DisplayID
}
