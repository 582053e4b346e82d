package hostevent

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"sluice"
)

// zeroSHA stands for the missing side of a created or deleted ref, as GitHub and GitLab send.
const zeroSHA = "0000000000000000000000000000000000000000"

type bitbucketRepo struct {
	FullName string `json:"full_name"`
}

type bitbucketCommit struct {
	Hash    string `json:"hash"`
	Message string `json:"message"`
	Date    string `json:"date"`
	Author  struct {
		Raw string `json:"raw"` // "Name <email>"
		// Older deliveries put the user itself here, not under user.
		DisplayName string `json:"display_name"`
		User        struct {
			DisplayName string `json:"display_name"`
		} `json:"user"`
	} `json:"author"`
	Links struct {
		HTML struct {
			Href string `json:"href"`
		} `json:"html"`
	} `json:"links"`
}

type bitbucketRef struct {
	Type   string          `json:"type"` // branch or tag
	Name   string          `json:"name"`
	Target bitbucketCommit `json:"target"`
}

type bitbucketPush struct {
	Repository bitbucketRepo `json:"repository"`
	Push       struct {
		Changes []struct {
			New       *bitbucketRef `json:"new"`
			Old       *bitbucketRef `json:"old"`
			Created   bool          `json:"created"`
			Closed    bool          `json:"closed"`
			Truncated bool          `json:"truncated"`
		} `json:"changes"`
	} `json:"push"`
}

type bitbucketPR struct {
	Repository  bitbucketRepo `json:"repository"`
	PullRequest struct {
		ID    int    `json:"id"`
		Title string `json:"title"`
		Links struct {
			HTML struct {
				Href string `json:"href"`
			} `json:"html"`
		} `json:"links"`
		Source struct {
			Branch struct {
				Name string `json:"name"`
			} `json:"branch"`
			Commit struct {
				Hash string `json:"hash"`
			} `json:"commit"`
		} `json:"source"`
		Destination struct {
			Branch struct {
				Name string `json:"name"`
			} `json:"branch"`
		} `json:"destination"`
	} `json:"pullrequest"`
}

// bitbucketPRActions maps Bitbucket Cloud and Server pull request events to filter events.
// Only a merge is CLOSED on Bitbucket: a decline starts nothing (SEMANTICS §8.2).
var bitbucketPRActions = map[string]sluice.PullRequestAction{
	"pullrequest:created":   sluice.PullRequestOpen,
	"pullrequest:updated":   sluice.PullRequestUpdated,
	"pullrequest:fulfilled": sluice.PullRequestClosed,
	"pr:opened":             sluice.PullRequestOpen,
	"pr:from_ref_updated":   sluice.PullRequestUpdated,
	"pr:merged":             sluice.PullRequestClosed,
}

// parseBitbucket reads Bitbucket Cloud and Bitbucket Server deliveries, told apart by their
// event keys, which the two products do not share.
func parseBitbucket(header http.Header, body []byte) (*sluice.GitEvent, error) {
	event := header.Get("X-Event-Key")
	if event == "" {
		return nil, malformed(ProviderBitbucket, event, errors.New("no X-Event-Key header"))
	}
	var (
		ev  *sluice.GitEvent
		err error
	)
	switch action, isPR := bitbucketPRActions[event]; {
	case event == "repo:push":
		ev, err = bitbucketPushEvent(body)
	case event == "repo:refs_changed":
		ev, err = bitbucketServerPushEvent(body)
	case isPR && strings.HasPrefix(event, "pr:"):
		ev, err = bitbucketServerPREvent(body, action)
	case isPR:
		ev, err = bitbucketPREvent(body, action)
	default:
		ev, err = bitbucketOther(event, body)
	}
	if err != nil {
		return nil, malformed(ProviderBitbucket, event, err)
	}
	ev.DeliveryID = header.Get("X-Request-UUID")
	if ev.DeliveryID == "" {
		ev.DeliveryID = header.Get("X-Request-Id") // Bitbucket Server
	}
	ev.HookID = header.Get("X-Hook-UUID")
	return ev, nil
}

func bitbucketOther(event string, body []byte) (*sluice.GitEvent, error) {
	var other struct {
		Repository struct {
			FullName string `json:"full_name"`
			bitbucketServerRepo
		} `json:"repository"`
	}
	if err := json.Unmarshal(body, &other); err != nil {
		return nil, err
	}
	ev := ignored("Bitbucket " + event + " events start nothing")
	switch event {
	case "diagnostics:ping": // Bitbucket Server's "Test connection"
		ev = &sluice.GitEvent{Kind: sluice.GitEventPing}
	case "pullrequest:rejected", "pr:declined":
		ev.Reason = "a declined Bitbucket pull request is not CLOSED: only a merge is"
	}
	ev.Repository = other.Repository.FullName
	if ev.Repository == "" {
		ev.Repository, ev.CloneURL = other.Repository.bitbucketServerRepo.names()
	} else {
		ev.CloneURL = bitbucketCloneURL(ev.Repository)
	}
	return ev, nil
}

// bitbucketCloneURL is the HTTPS clone URL of a Bitbucket Cloud repository, which deliveries
// do not carry: Cloud has one host, so the full name decides it.
func bitbucketCloneURL(fullName string) string {
	if fullName == "" {
		return ""
	}
	return "https://bitbucket.org/" + fullName + ".git"
}

// bitbucketPushEvent reads repo:push, one event per ref change. Bitbucket sends no file
// lists: a caller that needs them asks the host's diffstat API.
func bitbucketPushEvent(body []byte) (*sluice.GitEvent, error) {
	var p bitbucketPush
	if err := json.Unmarshal(body, &p); err != nil {
		return nil, err
	}
	repo := p.Repository.FullName
	var evs []sluice.GitEvent
	for _, c := range p.Push.Changes {
		ref := c.New
		if ref == nil {
			ref = c.Old
		}
		if ref == nil {
			continue
		}
		ev := sluice.GitEvent{Kind: sluice.GitEventPush, Repository: repo, CloneURL: bitbucketCloneURL(repo),
			Created: c.Created, Deleted: c.Closed, Before: zeroSHA, After: zeroSHA, FilesTruncated: c.Truncated}
		if c.Old != nil {
			ev.Before = c.Old.Target.Hash
		}
		if c.New != nil {
			ev.After = c.New.Target.Hash
			ev.HeadCommit = c.New.Target.commit()
		}
		switch ref.Type {
		case "branch":
			pushedRef(&ev, "refs/heads/"+ref.Name)
		case "tag":
			pushedRef(&ev, "refs/tags/"+ref.Name)
		default:
			ev.Kind, ev.Reason = sluice.GitEventIgnored, "push to a Bitbucket "+ref.Type+", which is neither a branch nor a tag"
		}
		evs = append(evs, ev)
	}
	return refChanges(evs, repo, bitbucketCloneURL(repo)), nil
}

func (c *bitbucketCommit) commit() sluice.GitCommit {
	name, email := splitAuthor(c.Author.Raw)
	for _, alt := range []string{c.Author.User.DisplayName, c.Author.DisplayName} {
		if name == "" {
			name = alt
		}
	}
	return sluice.GitCommit{ID: c.Hash, Message: c.Message, AuthorName: name, AuthorEmail: email,
		Timestamp: parseTime(c.Date), URL: c.Links.HTML.Href}
}

// splitAuthor splits git's "Name <email>" author form.
func splitAuthor(raw string) (name, email string) {
	i := strings.LastIndex(raw, "<")
	if i < 0 || !strings.HasSuffix(raw, ">") {
		return strings.TrimSpace(raw), ""
	}
	return strings.TrimSpace(raw[:i]), raw[i+1 : len(raw)-1]
}

func bitbucketPREvent(body []byte, action sluice.PullRequestAction) (*sluice.GitEvent, error) {
	var p bitbucketPR
	if err := json.Unmarshal(body, &p); err != nil {
		return nil, err
	}
	pr := p.PullRequest
	return &sluice.GitEvent{Kind: sluice.GitEventPullRequest, Repository: p.Repository.FullName,
		CloneURL: bitbucketCloneURL(p.Repository.FullName), HeadCommit: sluice.GitCommit{ID: pr.Source.Commit.Hash},
		PullRequest: &sluice.GitPullRequest{Number: pr.ID, Action: action, Merged: action == sluice.PullRequestClosed,
			SourceBranch: pr.Source.Branch.Name, TargetBranch: pr.Destination.Branch.Name, HeadCommitID: pr.Source.Commit.Hash,
			Title: pr.Title, URL: pr.Links.HTML.Href},
	}, nil
}
