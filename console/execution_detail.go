package console

import (
	"net/http"
	"sort"

	"sluice"
	"sluice/service"
)

type executionData struct {
	Pipeline  string
	Execution *sluice.Execution
	Revisions []revisionRow
	Timeline  timeline
	Stages    []stageRuns
	// RunsHidden: the caller may read the execution but not its action runs.
	RunsHidden bool
	Downloads  bool // the console serves artifact downloads
}

type revisionRow struct {
	Action string
	sluice.Revision
}

// stageRuns is a stage with the latest run of each of its actions that ran, and the
// conditions the execution's run of it evaluated.
type stageRuns struct {
	Name       string
	Runs       []actionView
	Conditions []condView
}

// actionView is an action run as the pages show it, with what its links need.
type actionView struct {
	service.ActionRunDetail
	Pipeline  string
	Downloads bool // the console serves artifact downloads
}

// Link is the action run's page.
func (a actionView) Link() string {
	return "/pipelines/" + pathEscape(a.Pipeline) + "/actions/" + pathEscape(a.ID)
}

// Download is the link that downloads the artifact name of the run's execution.
func (a actionView) Download(name string) string {
	return "/pipelines/" + pathEscape(a.Pipeline) + "/executions/" + pathEscape(a.ExecutionID) + "/artifacts/" + pathEscape(name)
}

// executionPage shows one execution: its status, trigger, revisions, variables, its
// timeline and what each action was given and made.
func (c *Console) executionPage(w http.ResponseWriter, r *http.Request, s *session) {
	name, id := r.PathValue("name"), r.PathValue("id")
	e, p, err := c.Service.GetExecution(r.Context(), s.caller, name, id)
	if err != nil {
		c.failed(w, r, s, err)
		return
	}
	d := executionData{Pipeline: name, Execution: e, Revisions: revisions(e), Downloads: c.Artifacts != nil}
	runs, err := c.latestRuns(r, s, name, id)
	switch {
	case sluice.ErrorCode(err) == sluice.EAccessDenied:
		d.RunsHidden = true
	case err != nil:
		c.failed(w, r, s, err)
		return
	}
	d.Timeline = buildTimeline(name, &p.Declaration, runs, c.Service.Now())
	d.Stages = byStage(&p.Declaration, runs, c.executionConditions(r, s, name, id, &p.Declaration), func(r service.ActionRunDetail) actionView {
		return actionView{ActionRunDetail: r, Pipeline: name, Downloads: d.Downloads}
	})
	c.render(w, r, s, http.StatusOK, "execution", d)
}

// latestRuns reads the latest attempt of every action of the execution, newest first.
func (c *Console) latestRuns(r *http.Request, s *session, pipeline, id string) ([]service.ActionRunDetail, error) {
	var out []service.ActionRunDetail
	token := ""
	for {
		page, err := c.Service.ListActionRuns(r.Context(), s.caller, service.ActionRunsParams{Pipeline: pipeline,
			ExecutionID: id, OnlyLatest: true, Page: sluice.Page{Token: token, Limit: 100}})
		if err != nil {
			return nil, err
		}
		out = append(out, page.Runs...)
		if token = page.Next; token == "" {
			return out, nil
		}
	}
}

// byStage orders runs as the declaration orders its stages and actions, with each stage's
// conditions (conds, by stage name); a stage appears when it has either.
func byStage(d *sluice.PipelineDeclaration, runs []service.ActionRunDetail, conds map[string][]condView, view func(service.ActionRunDetail) actionView) []stageRuns {
	latest := map[string]service.ActionRunDetail{}
	for _, r := range runs {
		if _, seen := latest[r.StageName+"/"+r.ActionName]; !seen {
			latest[r.StageName+"/"+r.ActionName] = r
		}
	}
	var out []stageRuns
	for _, st := range d.Stages {
		sr := stageRuns{Name: st.Name, Conditions: conds[st.Name]}
		for _, a := range st.Actions {
			if r, ok := latest[st.Name+"/"+a.Name]; ok {
				sr.Runs = append(sr.Runs, view(r))
			}
		}
		if len(sr.Runs) > 0 || len(sr.Conditions) > 0 {
			out = append(out, sr)
		}
	}
	return out
}

// revisions lists an execution's source revisions by source action.
func revisions(e *sluice.Execution) []revisionRow {
	out := make([]revisionRow, 0, len(e.Revisions))
	for a, rev := range e.Revisions {
		out = append(out, revisionRow{Action: a, Revision: rev})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Action < out[j].Action })
	return out
}
