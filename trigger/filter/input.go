package filter

import "sluice"

// Input is what trigger filters look at in one git event.
type Input struct {
	Kind sluice.GitEventKind // only pushes and pull requests can match

	// Pushes: the short name of the pushed branch or tag, and whether the push deleted it.
	Branch  string
	Tag     string
	Deleted bool

	// Pull requests: the event and the branch the pull request merges into.
	Action       sluice.PullRequestAction
	TargetBranch string

	// Files are the changed paths in the host's order. FilesKnown is false when there is no
	// list to test (a new branch, a host that sends none): then filePaths criteria fail.
	Files      []string
	FilesKnown bool
}

// InputOf reads a filter input from an event. A push that creates a branch counts as having
// no file list even when the host lists the new branch's commits: CodePipeline documents
// that branch+filePaths filters do not fire on branch creation (SEMANTICS §8.2).
func InputOf(ev *sluice.GitEvent) Input {
	in := Input{Kind: ev.Kind, Files: ev.ChangedFiles, FilesKnown: ev.FilesListed}
	switch ev.Kind {
	case sluice.GitEventPush:
		in.Branch, in.Tag, in.Deleted = ev.Branch, ev.Tag, ev.Deleted
		in.FilesKnown = ev.FilesListed && !ev.Created
	case sluice.GitEventPullRequest:
		if ev.PullRequest != nil {
			in.Action, in.TargetBranch = ev.PullRequest.Action, ev.PullRequest.TargetBranch
		}
	}
	return in
}
