package console

import (
	"fmt"
	"html"
	"html/template"
	"strings"
	"time"

	"sluice"
	"sluice/service"
)

// timeline is an execution drawn as a Gantt chart: a row per stage, each followed by a row
// per action, with a bar from the row's start to its end. It is drawn server-side as SVG so
// the page needs no script; the page also shows the same rows as a table.
type timeline struct {
	Rows       []timelineRow
	Start, End time.Time
}

// timelineRow is one stage or action; a row without a start has not run.
type timelineRow struct {
	Label      string
	Stage      bool
	Status     string
	Start, End time.Time
	Running    bool
	Link       string // the action run's page ("" for stages)
}

// buildTimeline lays out an execution's stages and actions in the declaration's order, from
// the latest attempt of each action (runs newest first). Rows still running end at now.
func buildTimeline(pipeline string, d *sluice.PipelineDeclaration, runs []service.ActionRunDetail, now time.Time) timeline {
	latest := map[string]*sluice.ActionRun{}
	for _, r := range runs {
		if k := r.StageName + "/" + r.ActionName; latest[k] == nil {
			latest[k] = r.ActionRun
		}
	}
	var t timeline
	for _, st := range d.Stages {
		stage := timelineRow{Label: st.Name, Stage: true}
		var rows []timelineRow
		for _, a := range st.Actions {
			row := timelineRow{Label: a.Name}
			if r := latest[st.Name+"/"+a.Name]; r != nil {
				row = actionRow(pipeline, r, now)
				stage.merge(row)
			}
			rows = append(rows, row)
		}
		t.Rows = append(append(t.Rows, stage), rows...)
	}
	for _, r := range t.Rows {
		if !r.Start.IsZero() && (t.Start.IsZero() || r.Start.Before(t.Start)) {
			t.Start = r.Start
		}
		if r.End.After(t.End) {
			t.End = r.End
		}
	}
	return t
}

func actionRow(pipeline string, r *sluice.ActionRun, now time.Time) timelineRow {
	row := timelineRow{Label: r.ActionName, Status: string(r.Status), Start: r.StartTime, End: r.LastUpdateTime,
		Link: "/pipelines/" + pathEscape(pipeline) + "/actions/" + pathEscape(r.ID)}
	if r.Status == sluice.ActionInProgress {
		row.End, row.Running = now, true
	}
	if row.End.Before(row.Start) {
		row.End = row.Start
	}
	return row
}

// merge widens a stage's row to cover an action's, and gives it the status that matters
// most: running, then failed, then any other than succeeded.
func (s *timelineRow) merge(a timelineRow) {
	if s.Start.IsZero() || a.Start.Before(s.Start) {
		s.Start = a.Start
	}
	if a.End.After(s.End) {
		s.End = a.End
	}
	s.Running = s.Running || a.Running
	switch {
	case s.Running:
		s.Status = string(sluice.StageInProgress)
	case a.Status == string(sluice.ActionFailed) || s.Status == "":
		s.Status = a.Status
	case s.Status == string(sluice.ActionSucceeded):
		s.Status = a.Status
	}
}

// Chart geometry, in the SVG's own units (it scales to the page's width).
const (
	chartWidth = 1000
	labelWidth = 220
	rowHeight  = 24
	axisHeight = 26
	barHeight  = 14
)

// SVG draws the timeline: a time axis on top, a row per stage and action, each bar with a
// <title> that says what it is, its status and how long it took (what a screen reader and a
// hover show), actions' bars linking to the action's page.
func (t timeline) SVG() template.HTML {
	span := t.End.Sub(t.Start)
	if span <= 0 {
		span = time.Second
	}
	height := axisHeight + rowHeight*len(t.Rows)
	plot := float64(chartWidth - labelWidth - 10)
	x := func(at time.Time) float64 { return labelWidth + plot*float64(at.Sub(t.Start))/float64(span) }
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="timeline" viewBox="0 0 %d %d" width="100%%" role="group" aria-labelledby="timeline-title" aria-describedby="timeline-table" xmlns="http://www.w3.org/2000/svg">`, chartWidth, height)
	b.WriteString(`<title id="timeline-title">Timeline of the execution's stages and actions</title>`)
	step := tickStep(span)
	for at := time.Duration(0); at <= span; at += step {
		px := x(t.Start.Add(at))
		fmt.Fprintf(&b, `<line class="tick" x1="%.1f" y1="%d" x2="%.1f" y2="%d"/><text class="axis" x="%.1f" y="14">%s</text>`,
			px, axisHeight-6, px, height, px+2, tickLabel(at))
	}
	for i, r := range t.Rows {
		y := axisHeight + i*rowHeight
		cls, indent := "label", 14
		if r.Stage {
			cls, indent = "label stage", 4
		}
		fmt.Fprintf(&b, `<text class="%s" x="%d" y="%d">%s</text>`, cls, indent, y+rowHeight/2+4, html.EscapeString(shorten(r.Label, 28)))
		if r.Start.IsZero() {
			continue
		}
		w := max(x(r.End)-x(r.Start), 2)
		kind := "bar " + statusClass(r.Status)
		if r.Stage {
			kind += " stagebar"
		}
		bar := fmt.Sprintf(`<rect class="%s" x="%.1f" y="%d" width="%.1f" height="%d" rx="2"><title>%s</title></rect>`,
			kind, x(r.Start), y+(rowHeight-barHeight)/2, w, barHeight, html.EscapeString(r.title()))
		if r.Link != "" {
			bar = `<a href="` + html.EscapeString(r.Link) + `">` + bar + `</a>`
		}
		b.WriteString(bar)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) // every text in it is escaped above
}

// title is what a bar says of itself.
func (r timelineRow) title() string {
	kind := "Action"
	if r.Stage {
		kind = "Stage"
	}
	end := r.End
	if r.Running {
		end = time.Time{}
	}
	return fmt.Sprintf("%s %s: %s, %s (from %s)", kind, r.Label, r.Status, duration(r.Start, end), r.Start.UTC().Format(time.TimeOnly+" MST"))
}

// Duration is the row's length for the table ("" when it has not run).
func (r timelineRow) Duration() string {
	if r.Start.IsZero() {
		return ""
	}
	return duration(r.Start, r.End)
}

// tickStep is the axis's step: the first of the round steps that gives at most 8 ticks.
func tickStep(span time.Duration) time.Duration {
	for _, s := range []time.Duration{100 * time.Millisecond, 200 * time.Millisecond, 500 * time.Millisecond, time.Second, 2 * time.Second, 5 * time.Second, 10 * time.Second, 15 * time.Second,
		30 * time.Second, time.Minute, 2 * time.Minute, 5 * time.Minute, 10 * time.Minute, 15 * time.Minute,
		30 * time.Minute, time.Hour, 2 * time.Hour, 6 * time.Hour, 12 * time.Hour} {
		if span/s <= 8 {
			return s
		}
	}
	return 24 * time.Hour
}

// tickLabel is an offset from the execution's start: "0", "+30s", "+2m", "+1h30m".
func tickLabel(d time.Duration) string {
	if d == 0 {
		return "0"
	}
	if d < time.Minute && d%time.Second != 0 {
		return fmt.Sprintf("+%.1fs", d.Seconds())
	}
	out := "+"
	for _, u := range []struct {
		d    time.Duration
		name string
	}{{time.Hour, "h"}, {time.Minute, "m"}, {time.Second, "s"}} {
		if n := d / u.d; n > 0 {
			out += fmt.Sprintf("%d%s", n, u.name)
			d -= n * u.d
		}
	}
	return out
}
