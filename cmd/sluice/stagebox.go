package main

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// draw renders b as lines of text: a heading with the execution, then one box per stage,
// top to bottom, with an arrow (or the disabled transition's reason) between them, and
// after the boxes how to answer each waiting approval. Colours come from p; the layout
// is the same without them.
func (b *board) draw(p palette, now time.Time) []string {
	lines := []string{b.heading(p)}
	cols := b.columns(now)
	width := b.boxWidth(cols)
	for i, s := range b.Stages {
		if i > 0 {
			lines = append(lines, transition(p, s.Disabled))
		}
		lines = append(lines, s.box(p, cols, width, now)...)
	}
	for _, s := range b.Stages {
		for _, a := range s.Actions {
			if a.Token != "" {
				lines = append(lines, "", p.bold("Waiting for approval: "+s.Name+"/"+a.Name), "  "+b.approveCommand(s.Name, a.Name, a.Token))
			}
		}
	}
	return lines
}

func (b *board) heading(p palette) string {
	if b.Execution == "" {
		return p.bold(b.Pipeline) + "  no executions yet"
	}
	h := p.bold(b.Pipeline) + "  execution " + b.Execution + "  " + p.status(b.Status)
	if b.Commit != "" {
		h += "  commit " + b.Commit
		if b.Message != "" {
			h += " " + p.dim(fmt.Sprintf("%q", truncate(b.Message, 60)))
		}
	}
	if b.Summary != "" && b.Status != "Succeeded" {
		h += "\n" + p.dim(b.Summary)
	}
	return h
}

func (b *board) approveCommand(stage, action, token string) string {
	return fmt.Sprintf("aws codepipeline put-approval-result --pipeline-name %s --stage-name %s --action-name %s "+
		"--token %s --result summary=approved,status=Approved --endpoint-url %s",
		b.Pipeline, stage, action, token, firstNonEmpty(b.Endpoint, "URL"))
}

func transition(p palette, disabled string) string {
	if disabled != "" {
		return "    " + p.paint("31", "╳ transition disabled: "+disabled)
	}
	return "    ↓"
}

// cells are an action's columns: mark, name, provider, status, duration, summary.
func (a actionRow) cells(now time.Time) [6]string {
	status, took := a.Status, ""
	if status == "" {
		status = "-"
	} else {
		took = span(a.Start, a.End, a.Status == "InProgress", now)
	}
	return [6]string{statusMark(a.Status), a.Name, a.Provider, status, took, truncate(a.Summary, 40)}
}

// columns are the widths of the cells over every action of b, so that every box lines up.
func (b *board) columns(now time.Time) [6]int {
	var w [6]int
	for _, s := range b.Stages {
		for _, a := range s.Actions {
			for i, c := range a.cells(now) {
				w[i] = max(w[i], utf8.RuneCountInString(c))
			}
		}
	}
	return w
}

// boxWidth is the inner width of every box: the widest row or title.
func (b *board) boxWidth(cols [6]int) int {
	w := rowWidth(cols)
	for _, s := range b.Stages {
		w = max(w, utf8.RuneCountInString(s.title())+utf8.RuneCountInString(s.statusText())+6)
	}
	return w
}

// rowWidth is the width of an action's row: the columns and two spaces between each.
func rowWidth(cols [6]int) int {
	w := 2 * (len(cols) - 1)
	for _, c := range cols {
		w += c
	}
	return w
}

func (s stageBox) title() string {
	if s.Elsewhere != "" {
		return s.Name + " (on execution " + s.Elsewhere + ")"
	}
	return s.Name
}

func (s stageBox) statusText() string { return firstNonEmpty(s.Status, "not reached") }

// box draws one stage: a top border holding its name and status, a row per action.
func (s stageBox) box(p palette, cols [6]int, width int, now time.Time) []string {
	fill := width - utf8.RuneCountInString(s.title()) - utf8.RuneCountInString(s.statusText()) - 4
	top := "┌─ " + p.bold(s.title()) + " " + strings.Repeat("─", max(fill, 1)) + " " + p.status(s.statusText()) + " ─┐"
	lines := []string{top}
	for _, a := range s.Actions {
		lines = append(lines, "│ "+a.row(p, cols, now)+strings.Repeat(" ", width-rowWidth(cols))+" │")
	}
	return append(lines, "└"+strings.Repeat("─", width+2)+"┘")
}

// row is an action's cells padded to the columns; only the status and summary are coloured.
func (a actionRow) row(p palette, cols [6]int, now time.Time) string {
	var out []string
	for i, c := range a.cells(now) {
		pad := strings.Repeat(" ", cols[i]-utf8.RuneCountInString(c))
		switch {
		case i == 3 && c != "-":
			c = p.status(c)
		case i == 5:
			c = p.dim(c)
		}
		out = append(out, c+pad)
	}
	return strings.Join(out, "  ")
}
