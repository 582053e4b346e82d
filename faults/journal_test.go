package faults

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// The journal is one file every party appends lines to, in the order things happened:
// each Commands action writes a "run" line as it starts (runJournal, through the
// FAULTS_RUNNER and FAULTS_JOURNAL variables its runner passes on), and the harness writes
// a "kill" line once it has killed a server or the worker and a "pgrestart" line once PostgreSQL is back.
// Appends of one short line are atomic, so the file's order is the order of the writes: a
// run line before a kill line started before the kill.
type journal struct {
	path string
	mu   sync.Mutex
	f    *os.File
}

// runJournal is the command a Commands action starts with: "run RUNNER EXECUTION
// ACTION-EXECUTION STAGE ACTION". RUNNER names the process that ran it: a server's
// incarnation ("r2.3": replica 2's third start) or the worker's ("w.1").
const runJournal = `echo "run $FAULTS_RUNNER $CODEPIPELINE_EXECUTION_ID $CODEPIPELINE_ACTION_EXECUTION_ID $CODEPIPELINE_STAGE_NAME $CODEPIPELINE_ACTION_NAME" >> "$FAULTS_JOURNAL"`

func openJournal(t *testing.T, path string) *journal {
	t.Helper()
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o666)
	require.NoError(t, err)
	require.NoError(t, os.Chmod(path, 0o666)) // actions may run as another user
	t.Cleanup(func() { f.Close() })
	return &journal{path: path, f: f}
}

// Event appends the harness's line: "kill r1.3" or "pgrestart".
func (j *journal) Event(format string, args ...any) {
	j.mu.Lock()
	defer j.mu.Unlock()
	_, _ = fmt.Fprintf(j.f, format+"\n", args...)
}

// entry is one line of the journal.
type entry struct {
	Kind      string // "run", "kill" or "pgrestart"
	Runner    string // run: who ran it; kill: the incarnation killed
	Execution string // run only, from here on
	ActionRun string
	Stage     string
	Action    string
}

func (j *journal) Read(t *testing.T) []entry {
	t.Helper()
	f, err := os.Open(j.path)
	require.NoError(t, err)
	defer f.Close()
	var out []entry
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		w := strings.Fields(sc.Text())
		switch {
		case len(w) == 6 && w[0] == "run":
			out = append(out, entry{Kind: "run", Runner: w[1], Execution: w[2], ActionRun: w[3], Stage: w[4], Action: w[5]})
		case len(w) == 2 && w[0] == "kill":
			out = append(out, entry{Kind: "kill", Runner: w[1]})
		case len(w) == 1 && w[0] == "pgrestart":
			out = append(out, entry{Kind: "pgrestart"})
		default:
			t.Errorf("journal line %q is none of run, kill, pgrestart", sc.Text())
		}
	}
	require.NoError(t, sc.Err())
	return out
}

// journalIndex is the journal read back, indexed for the checks.
type journalIndex struct {
	entries     []entry
	runs        []indexed
	byActionRun map[string][]indexed // runs of each action execution, in order
	killAt      map[string]int       // the position of each incarnation's kill line
	kills       int
	pgRestarts  int
}

// indexed is a run line and its position in the journal.
type indexed struct {
	entry
	at int
}

func indexJournal(entries []entry) *journalIndex {
	j := &journalIndex{entries: entries, byActionRun: map[string][]indexed{}, killAt: map[string]int{}}
	for i, e := range entries {
		switch e.Kind {
		case "run":
			r := indexed{entry: e, at: i}
			j.runs = append(j.runs, r)
			j.byActionRun[e.ActionRun] = append(j.byActionRun[e.ActionRun], r)
		case "kill":
			j.killAt[e.Runner] = i
			j.kills++
		case "pgrestart":
			j.pgRestarts++
		}
	}
	return j
}

// killed says whether incarnation was killed. That is enough to explain an interruption of
// a run of it: a process runs only until its kill, and its run line may even come after the
// kill line (an action the dying server forked a moment before writes its line late).
func (j *journalIndex) killed(incarnation string) bool {
	_, ok := j.killAt[incarnation]
	return ok
}

// killedBetween says whether incarnation was killed before position b (and so, being the
// runner at position a, between the two).
func (j *journalIndex) killedBetween(incarnation string, a, b int) bool {
	k, ok := j.killAt[incarnation]
	return ok && k < b
}

// faultBetween says whether any kill or PostgreSQL restart is between positions a and b.
func (j *journalIndex) faultBetween(a, b int) bool {
	for _, e := range j.entries[a:b] {
		if e.Kind == "kill" || e.Kind == "pgrestart" {
			return true
		}
	}
	return false
}
