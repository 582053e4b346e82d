// Package filter decides whether a git event starts a pipeline: the V2 trigger filters of
// SEMANTICS §8.2 and, for a source without a trigger, the default "push to BranchName". It is
// pure; callers log the reasons it gives.
package filter

import (
	"fmt"
	"slices"
	"strings"

	"sluice"
)

// Match reports whether the event starts the pipeline under the trigger's filters, and why
// (which filter matched, or what each filter objected to). Any push filter or any pull
// request filter may match; within a filter every present criterion must.
func Match(cfg sluice.GitConfiguration, in Input) (bool, string) {
	var why []string
	switch in.Kind {
	case sluice.GitEventPush:
		if in.Deleted {
			return false, "the push deleted " + pushed(in)
		}
		if len(cfg.Push) == 0 {
			return false, "the trigger has no push filters"
		}
		for i, f := range cfg.Push {
			ok, reason := pushFilter(f, in)
			if ok {
				return true, fmt.Sprintf("push filter %d matches the push to %s", i+1, pushed(in))
			}
			why = append(why, fmt.Sprintf("push filter %d: %s", i+1, reason))
		}
	case sluice.GitEventPullRequest:
		if len(cfg.PullRequest) == 0 {
			return false, "the trigger has no pull request filters"
		}
		for i, f := range cfg.PullRequest {
			ok, reason := pullRequestFilter(f, in)
			if ok {
				return true, fmt.Sprintf("pull request filter %d matches %s into %s", i+1, in.Action, in.TargetBranch)
			}
			why = append(why, fmt.Sprintf("pull request filter %d: %s", i+1, reason))
		}
	default:
		return false, fmt.Sprintf("%s events start nothing", in.Kind)
	}
	return false, strings.Join(why, "; ")
}

// pushFilter applies a filter with tags to tag pushes only and one with branches to branch
// pushes only; validation allows nothing else, and a filter with neither matches nothing.
func pushFilter(f sluice.GitPushFilter, in Input) (bool, string) {
	switch {
	case f.Tags != nil && in.Tag == "":
		return false, "a tag filter, and this is a branch push"
	case f.Tags == nil && f.Branches == nil:
		return false, "a filter with neither tags nor branches matches nothing"
	case f.Tags == nil && in.Branch == "":
		return false, "a branch filter, and this is a tag push"
	}
	if ok, reason := check("tag", f.Tags, in.Tag); !ok {
		return false, reason
	}
	if ok, reason := check("branch", f.Branches, in.Branch); !ok {
		return false, reason
	}
	return checkFiles(f.FilePaths, in)
}

// pullRequestFilter matches branches against the pull request's target branch; absent
// events mean every event.
func pullRequestFilter(f sluice.GitPullRequestFilter, in Input) (bool, string) {
	if in.Action == "" {
		return false, "the pull request event has no action"
	}
	if len(f.Events) > 0 && !slices.Contains(f.Events, string(in.Action)) {
		return false, fmt.Sprintf("event %s is not one of %s", in.Action, strings.Join(f.Events, ", "))
	}
	if ok, reason := check("branch", f.Branches, in.TargetBranch); !ok {
		return false, reason
	}
	return checkFiles(f.FilePaths, in)
}

// DefaultMatch is change detection for a connection source without a trigger: any push to
// branchName starts the pipeline; tags and pull requests do not.
func DefaultMatch(branchName string, in Input) (bool, string) {
	switch {
	case in.Kind != sluice.GitEventPush:
		return false, fmt.Sprintf("without a trigger only pushes to %s start the pipeline, not %s events", branchName, in.Kind)
	case in.Deleted:
		return false, "the push deleted " + pushed(in)
	case in.Branch != branchName:
		return false, fmt.Sprintf("without a trigger only pushes to %s start the pipeline, not to %s", branchName, pushed(in))
	}
	return true, "push to " + branchName
}

// NeedsFiles reports whether any filter of the trigger tests changed files, so that a caller
// holding an event without a file list (a pull request, a Bitbucket push) or with a truncated
// one (GitEvent.FilesTruncated) knows to ask the host for the full list before matching.
func NeedsFiles(cfg sluice.GitConfiguration) bool {
	for _, f := range cfg.Push {
		if f.FilePaths != nil {
			return true
		}
	}
	for _, f := range cfg.PullRequest {
		if f.FilePaths != nil {
			return true
		}
	}
	return false
}

func pushed(in Input) string {
	if in.Tag != "" {
		return "tag " + in.Tag
	}
	return "branch " + in.Branch
}
