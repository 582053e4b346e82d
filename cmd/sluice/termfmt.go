package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
)

// palette colours the terminal commands' output: on a terminal only, and never when
// NO_COLOR is set (https://no-color.org). The zero palette prints plain text.
type palette struct{ on bool }

func paletteFor(w io.Writer) palette {
	f, ok := w.(*os.File)
	return palette{on: ok && isTerminal(f) && os.Getenv("NO_COLOR") == "" && os.Getenv("TERM") != "dumb"}
}

func (p palette) paint(code, s string) string {
	if !p.on {
		return s
	}
	return "\x1b[" + code + "m" + s + "\x1b[0m"
}

func (p palette) bold(s string) string { return p.paint("1", s) }
func (p palette) dim(s string) string  { return p.paint("2", s) }

// status colours a status by what it means: green done, red failed, yellow running or
// waiting, grey otherwise.
func (p palette) status(s string) string {
	switch s {
	case "Succeeded":
		return p.paint("32", s)
	case "Failed", "Stopped", "Abandoned":
		return p.paint("31", s)
	case "InProgress", "Stopping", "Cancelled":
		return p.paint("33", s)
	}
	return p.paint("90", s)
}

// statusMark is a one-character sign of a status, readable without colour.
func statusMark(s string) string {
	switch s {
	case "Succeeded":
		return "✓"
	case "Failed", "Abandoned":
		return "X"
	case "Stopped", "Stopping", "Superseded", "Cancelled":
		return "-"
	case "InProgress":
		return "*"
	}
	return " "
}

// ago is t relative to now, as "12s ago", "5m ago", "3h ago", "2d ago".
func ago(t *time.Time, now time.Time) string {
	if t == nil {
		return "-"
	}
	return roundDuration(now.Sub(*t)) + " ago"
}

// roundDuration is d in its largest useful unit: 45s, 3m12s, 2h5m, 3d.
func roundDuration(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
	}
	return fmt.Sprintf("%dd", int(d.Hours())/24)
}

// span is how long something that started at start ran: until end when it ended, else
// until now.
func span(start, end *time.Time, running bool, now time.Time) string {
	if start == nil {
		return "-"
	}
	if running || end == nil {
		return roundDuration(now.Sub(*start))
	}
	return roundDuration(end.Sub(*start))
}

// shortCommit is the first 7 characters of a commit id (a whole S3 version id otherwise
// would crowd the line).
func shortCommit(id string) string {
	if len(id) > 7 {
		return id[:7]
	}
	return id
}

// commitMessage is the first line of a source revision's summary: the commit message,
// which CodeConnections sources give as JSON ({"CommitMessage": ...}).
func commitMessage(r types.SourceRevision) string {
	s := aws.ToString(r.RevisionSummary)
	var j struct{ CommitMessage string }
	if strings.HasPrefix(s, "{") && json.Unmarshal([]byte(s), &j) == nil && j.CommitMessage != "" {
		s = j.CommitMessage
	}
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}

// truncate cuts s to n runes with an ellipsis.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// firstRevision is the revision an execution is about: its first source's.
func firstRevision(revs []types.SourceRevision) (commit, message string) {
	if len(revs) == 0 {
		return "", ""
	}
	return shortCommit(aws.ToString(revs[0].RevisionId)), commitMessage(revs[0])
}
