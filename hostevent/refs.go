package hostevent

import (
	"strings"
	"time"

	"sluice"
)

// setRef fills the event's Ref and its Branch or Tag; it reports false for a ref that is
// neither (refs/notes/..., refs/pull/...), which no trigger filter can match.
func setRef(ev *sluice.GitEvent, ref string) bool {
	ev.Ref = ref
	if b, ok := strings.CutPrefix(ref, "refs/heads/"); ok {
		ev.Branch = b
		return true
	}
	if t, ok := strings.CutPrefix(ref, "refs/tags/"); ok {
		ev.Tag = t
		return true
	}
	return false
}

// pushedRef is setRef for pushes: a push to another kind of ref becomes an ignored event.
func pushedRef(ev *sluice.GitEvent, ref string) {
	if !setRef(ev, ref) {
		ev.Kind, ev.Reason = sluice.GitEventIgnored, "push to "+ref+", which is neither a branch nor a tag"
	}
}

// refChanges makes one event of a Bitbucket delivery's ref changes: the first, carrying the
// others in More.
func refChanges(evs []sluice.GitEvent, repo, cloneURL string) *sluice.GitEvent {
	if len(evs) == 0 {
		ev := ignored("Bitbucket push without ref changes starts nothing")
		ev.Repository, ev.CloneURL = repo, cloneURL
		return ev
	}
	first := evs[0]
	if len(evs) > 1 {
		first.More = evs[1:]
	}
	return &first
}

// isZeroSHA reports the all-zeros object id hosts send for the missing side of a ref
// creation or deletion.
func isZeroSHA(s string) bool { return s != "" && strings.Trim(s, "0") == "" }

// fileList collects changed paths once each, in the order first seen.
type fileList struct {
	seen  map[string]bool
	files []string
}

func (l *fileList) add(paths ...[]string) {
	if l.seen == nil {
		l.seen = map[string]bool{}
	}
	for _, ps := range paths {
		for _, p := range ps {
			if !l.seen[p] {
				l.seen[p] = true
				l.files = append(l.files, p)
			}
		}
	}
}

// timeLayouts are the timestamp shapes hosts send: RFC 3339 (GitHub, GitLab, Bitbucket
// Cloud), an offset without colon (Bitbucket Server) and older GitLab's "UTC" form.
var timeLayouts = []string{time.RFC3339, "2006-01-02T15:04:05-0700", "2006-01-02 15:04:05 -0700", "2006-01-02 15:04:05 MST"}

// parseTime reads a host timestamp; one it cannot read is left zero rather than failing the
// delivery, since no trigger decision depends on it.
func parseTime(s string) time.Time {
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t
		}
	}
	return time.Time{}
}
