package console

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/service"
)

func TestTimeline(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	run := func(stage, action string, status sluice.ActionStatus, from, to time.Duration) service.ActionRunDetail {
		return service.ActionRunDetail{ActionRun: &sluice.ActionRun{ID: stage + "-" + action, StageName: stage, ActionName: action,
			Status: status, StartTime: t0.Add(from), LastUpdateTime: t0.Add(to)}}
	}
	decl := &sluice.PipelineDeclaration{Stages: []sluice.StageDeclaration{
		{Name: "Build", Actions: []sluice.ActionDeclaration{{Name: "Unit"}, {Name: "Lint"}}},
		{Name: "Deploy", Actions: []sluice.ActionDeclaration{{Name: "Push"}}},
		{Name: "Later", Actions: []sluice.ActionDeclaration{{Name: "Never"}}},
	}}
	t.Run("RowsInDeclarationOrderFromTheLatestAttempts", func(t *testing.T) {
		t.Parallel()
		runs := []service.ActionRunDetail{ // newest first
			run("Deploy", "Push", sluice.ActionInProgress, 70*time.Second, 80*time.Second),
			run("Build", "Lint", sluice.ActionFailed, 10*time.Second, 60*time.Second),
			run("Build", "Unit", sluice.ActionSucceeded, 10*time.Second, 40*time.Second),
			run("Build", "Lint", sluice.ActionSucceeded, 0, 5*time.Second), // an earlier attempt
		}
		tl := buildTimeline("app", decl, runs, t0.Add(100*time.Second))
		var got []string
		for _, r := range tl.Rows {
			got = append(got, r.Label+" "+r.Status+" "+r.Duration())
		}
		require.Equal(t, []string{"Build Failed 50s", "Unit Succeeded 30s", "Lint Failed 50s",
			"Deploy InProgress 30s", "Push InProgress 30s", "Later  ", "Never  "}, got)
		require.Equal(t, t0.Add(10*time.Second), tl.Start)
		require.Equal(t, t0.Add(100*time.Second), tl.End, "a running row ends now")
		svg := string(tl.SVG())
		require.Equal(t, 5, strings.Count(svg, "<rect "), "no bar for what has not run")
		require.Contains(t, svg, `<a href="/pipelines/app/actions/Build-Lint">`)
		require.Contains(t, svg, `<title>Action Push: InProgress`)
	})
	t.Run("EscapesNames", func(t *testing.T) {
		t.Parallel()
		d := &sluice.PipelineDeclaration{Stages: []sluice.StageDeclaration{{Name: "<b>", Actions: []sluice.ActionDeclaration{{Name: "a&b"}}}}}
		svg := string(buildTimeline("p", d, []service.ActionRunDetail{run("<b>", "a&b", sluice.ActionSucceeded, 0, time.Second)}, t0).SVG())
		require.NotContains(t, svg, "<b>")
		require.Contains(t, svg, "&lt;b&gt;")
		require.Contains(t, svg, "a&amp;b")
	})
	t.Run("Axis", func(t *testing.T) {
		t.Parallel()
		for span, want := range map[time.Duration]time.Duration{300 * time.Millisecond: 100 * time.Millisecond, 5 * time.Second: time.Second, 40 * time.Second: 5 * time.Second,
			100 * time.Second: 15 * time.Second, time.Hour: 10 * time.Minute, 200 * time.Hour: 24 * time.Hour} {
			require.Equal(t, want, tickStep(span), "span %s", span)
		}
		for d, want := range map[time.Duration]string{0: "0", 30 * time.Second: "+30s", 2 * time.Minute: "+2m",
			90 * time.Minute: "+1h30m", 75 * time.Second: "+1m15s", 1500 * time.Millisecond: "+1.5s"} {
			require.Equal(t, want, tickLabel(d))
		}
	})
}
