package console

import (
	"regexp"
	"strconv"
	"strings"
	"sync"

	"sluice"
)

// fieldError is one problem of a pasted document, placed at the line of the field it names
// (Line 0: the document as a whole).
type fieldError struct {
	Line, Col int
	Msg       string
}

var (
	manyViolations = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(\d+) validation errors? detected: `) })
	modelPath      = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`'(pipeline(?:\.[A-Za-z0-9_-]+)*)'`) })
	actionInStage  = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`[Aa]ction (?:name )?'([^']*)'.*? in stage '([^']*)'`)
	})
	actionNamed = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?:[Ii]n action '([^']*)'|^Action '([^']*)'|^Action (\S+) declares|new action "([^"]*)")`)
	})
	stageNamed = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`Stage (?:name )?'([^']*)'`) })
)

// placeErrors places the core's validation message at the fields it names: each model path
// it quotes ("pipeline.stages.2.member.actions.1.member.runOrder"), or else the action or
// stage it names ("Action 'Build' in stage 'Test' ..."), found in d.
func placeErrors(msg string, d *sluice.PipelineDeclaration, ix fieldIndex) []fieldError {
	var out []fieldError
	for _, part := range violations(msg) {
		out = append(out, fieldError{Line: placeOne(part, d, ix), Msg: part})
	}
	return out
}

// violations splits a message listing several shape violations ("2 validation errors
// detected: Value ... ; Value ...") into one message per violation.
func violations(msg string) []string {
	m := manyViolations().FindStringSubmatch(msg)
	if m == nil || m[1] == "1" {
		return []string{msg}
	}
	var out []string
	for _, p := range strings.Split(msg[len(m[0]):], "; ") {
		if len(out) > 0 && !strings.HasPrefix(p, "Value") && !strings.HasPrefix(p, "and ") {
			out[len(out)-1] += "; " + p // a constraint's own "; "
			continue
		}
		out = append(out, p)
	}
	return out
}

func placeOne(msg string, d *sluice.PipelineDeclaration, ix fieldIndex) int {
	if m := modelPath().FindStringSubmatch(msg); m != nil {
		return ix.line(m[1])
	}
	if d == nil {
		return 0
	}
	if m := actionInStage().FindStringSubmatch(msg); m != nil {
		return ix.line(actionPath(d, m[2], m[1]))
	}
	if m := actionNamed().FindStringSubmatch(msg); m != nil {
		return ix.line(actionPath(d, "", m[1]+m[2]+m[3]+m[4]))
	}
	if m := stageNamed().FindStringSubmatch(msg); m != nil {
		if i := nth(len(d.Stages), func(i int) bool { return d.Stages[i].Name == m[1] }); i >= 0 {
			return ix.line(elem("pipeline.stages", i) + ".name")
		}
	}
	return 0
}

// actionPath is the model path of the name of the action named action in stage ("": any
// stage), or "" when there is none.
func actionPath(d *sluice.PipelineDeclaration, stage, action string) string {
	type ref struct{ s, a int }
	var refs []ref
	for si, st := range d.Stages {
		if stage != "" && st.Name != stage {
			continue
		}
		for ai, a := range st.Actions {
			if a.Name == action {
				refs = append(refs, ref{si, ai})
			}
		}
	}
	i := nth(len(refs), func(int) bool { return true })
	if i < 0 {
		return ""
	}
	r := refs[i]
	return elem(elem("pipeline.stages", r.s)+".actions", r.a) + ".name"
}

// nth is the index of the match a message about a name means: the second when the name is
// used twice (the core reports the repeat), else the first; -1 when none matches.
func nth(n int, match func(int) bool) int {
	first := -1
	for i := range n {
		if !match(i) {
			continue
		}
		if first >= 0 {
			return i
		}
		first = i
	}
	return first
}

// lineLabel is how a summary names a place: "Line 4" or "Line 4, column 9".
func lineLabel(line, col int) string {
	if col > 0 {
		return "Line " + strconv.Itoa(line) + ", column " + strconv.Itoa(col)
	}
	return "Line " + strconv.Itoa(line)
}
