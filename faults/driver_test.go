package faults

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/aws/smithy-go"
)

// execution is one execution the driver tracks: started by it, or by CreatePipeline.
type execution struct {
	Pipeline string
	ID       string
	Token    string // the clientRequestToken of its start; "" for CreatePipeline's
	Status   types.PipelineExecutionStatus
	Summary  string
	answered bool // its approval was answered (each pipeline of the workload has one at most)
}

// approval is one approval token the driver saw, and what answering it gave.
type approval struct {
	Exec          *execution
	Stage, Action string
	Answer        string // "approved", "already answered" (a retry of an answer that got through)
	// Every other approval is held until a fault happened after it opened (or the faults are
	// over), so that tokens are shown to answer across kills and the database's restart.
	Hold       bool
	SeenFaults int  // the faults done when it was first seen
	Crossed    bool // answered after a fault happened since it opened
}

// driver runs the workload: it starts executions (at most inFlight at a time), answers each
// approval as it appears, and watches every execution until it ends.
type driver struct {
	h        *harness
	total    int
	inFlight int
	started  atomic.Int64
	execs    map[string]*execution // by id
	order    []*execution
	tokens   map[string]*approval
	faults   func() int // the faults done so far
	over     bool       // the faults are over
}

func newDriver(h *harness, total, inFlight int, faults func() int) *driver {
	return &driver{h: h, total: total, inFlight: inFlight, execs: map[string]*execution{}, tokens: map[string]*approval{}, faults: faults}
}

// Started is how many executions the driver has started: the faults' pace.
func (d *driver) Started() int { return int(d.started.Load()) }

// Run drives until every execution has ended after faultsDone is closed, or until a bound
// only a hang reaches (settle after the faults end); it reports what is still running then.
func (d *driver) Run(ctx context.Context, faultsDone <-chan struct{}, settle time.Duration) error {
	names := d.pipelineNames()
	var deadline <-chan time.Time
	for round := 0; ; round++ {
		if err := d.refresh(ctx); err != nil {
			return err
		}
		if err := d.answerApprovals(ctx); err != nil {
			return err
		}
		if err := d.startMore(ctx, names); err != nil {
			return err
		}
		select {
		case <-faultsDone:
			d.over = true
			if d.Started() == d.total && d.running() == 0 {
				return nil
			}
			if deadline == nil {
				deadline = time.After(settle)
			}
		default:
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-deadline:
			return fmt.Errorf("%d executions still running %s after the last fault", d.running(), settle)
		case <-time.After(200 * time.Millisecond): // the servers are other processes: poll them
		}
	}
}

func (d *driver) pipelineNames() []string {
	var names []string
	for n := range d.h.decls {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// running counts the tracked executions that have not ended.
func (d *driver) running() int {
	n := 0
	for _, e := range d.order {
		if !ended(e.Status) {
			n++
		}
	}
	return n
}

func ended(s types.PipelineExecutionStatus) bool {
	return s != types.PipelineExecutionStatusInProgress && s != types.PipelineExecutionStatusStopping && s != ""
}

// startMore starts executions, spread over the pipelines, while fewer than inFlight run.
// Each start carries a clientRequestToken: a start retried after a kill answers the first
// one's execution instead of starting a second.
func (d *driver) startMore(ctx context.Context, names []string) error {
	for d.Started() < d.total && d.running() < d.inFlight {
		i := d.Started()
		name := names[i%len(names)]
		token := fmt.Sprintf("faults-%d", i)
		var id string
		err := d.h.api.Call(ctx, "start "+name, func(cp *codepipeline.Client) error {
			out, err := cp.StartPipelineExecution(ctx, &codepipeline.StartPipelineExecutionInput{Name: aws.String(name), ClientRequestToken: aws.String(token)})
			if err == nil {
				id = *out.PipelineExecutionId
			}
			return err
		})
		if err != nil {
			return fmt.Errorf("start %d of %s: %w", i, name, err)
		}
		if e, ok := d.execs[id]; ok {
			d.h.Add("start %s of %s answered %s, the execution of start %s", token, name, id, e.Token)
		}
		e := &execution{Pipeline: name, ID: id, Token: token, Status: types.PipelineExecutionStatusInProgress}
		d.execs[id] = e
		d.order = append(d.order, e)
		d.started.Add(1)
	}
	return nil
}

// refresh reads every pipeline's executions and updates the tracked ones' status. Before
// the first start it adopts what it finds (CreatePipeline's executions); later, an
// execution it does not know is one nobody started.
func (d *driver) refresh(ctx context.Context) error {
	for _, name := range d.pipelineNames() {
		list, err := d.listExecutions(ctx, name)
		if err != nil {
			return err
		}
		for _, s := range list {
			e, ok := d.execs[*s.PipelineExecutionId]
			if !ok && d.Started() > 0 {
				d.h.Add("execution %s of %s appeared, started by %s, which the harness did not start", *s.PipelineExecutionId, name, trigger(s))
			}
			if !ok {
				e = &execution{Pipeline: name, ID: *s.PipelineExecutionId}
				d.execs[e.ID] = e
				d.order = append(d.order, e)
			}
			e.Status, e.Summary = s.Status, aws.ToString(s.StatusSummary)
		}
	}
	return nil
}

func trigger(s types.PipelineExecutionSummary) string {
	if s.Trigger == nil {
		return "?"
	}
	return string(s.Trigger.TriggerType)
}

// listExecutions lists all of a pipeline's executions, following nextToken.
func (d *driver) listExecutions(ctx context.Context, name string) ([]types.PipelineExecutionSummary, error) {
	var out []types.PipelineExecutionSummary
	var next *string
	for {
		var page *codepipeline.ListPipelineExecutionsOutput
		err := d.h.api.Call(ctx, "list "+name, func(cp *codepipeline.Client) error {
			var err error
			page, err = cp.ListPipelineExecutions(ctx, &codepipeline.ListPipelineExecutionsInput{PipelineName: aws.String(name), MaxResults: aws.Int32(100), NextToken: next})
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("list the executions of %s: %w", name, err)
		}
		out = append(out, page.PipelineExecutionSummaries...)
		if next = page.NextToken; next == nil {
			return out, nil
		}
	}
}

// actionRuns lists every action execution of one execution, following nextToken.
func (d *driver) actionRuns(ctx context.Context, e *execution) ([]types.ActionExecutionDetail, error) {
	var out []types.ActionExecutionDetail
	var next *string
	for {
		var page *codepipeline.ListActionExecutionsOutput
		err := d.h.api.Call(ctx, "list action executions", func(cp *codepipeline.Client) error {
			var err error
			page, err = cp.ListActionExecutions(ctx, &codepipeline.ListActionExecutionsInput{PipelineName: aws.String(e.Pipeline),
				Filter: &types.ActionExecutionFilter{PipelineExecutionId: aws.String(e.ID)}, NextToken: next})
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("list the action executions of %s: %w", e.ID, err)
		}
		out = append(out, page.ActionExecutionDetails...)
		if next = page.NextToken; next == nil {
			return out, nil
		}
	}
}

// answerApprovals approves each open approval of a running execution, with the token
// ListActionExecutions shows as the approval's externalExecutionId.
func (d *driver) answerApprovals(ctx context.Context) error {
	for _, e := range d.order {
		if ended(e.Status) || e.answered || !hasApproval(d.h.decls[e.Pipeline]) {
			continue
		}
		runs, err := d.actionRuns(ctx, e)
		if err != nil {
			return err
		}
		for _, r := range runs {
			if r.Input == nil || r.Input.ActionTypeId.Category != types.ActionCategoryApproval || r.Status != types.ActionExecutionStatusInProgress {
				continue
			}
			token := externalID(r)
			if token == "" {
				d.h.Add("execution %s of %s: approval %s/%s waits with no token", e.ID, e.Pipeline, *r.StageName, *r.ActionName)
				continue
			}
			a, ok := d.tokens[token]
			if !ok {
				a = &approval{Exec: e, Stage: *r.StageName, Action: *r.ActionName, Hold: len(d.tokens)%2 == 1, SeenFaults: d.faults()}
				d.tokens[token] = a
			}
			a.Crossed = d.faults() > a.SeenFaults
			if a.Hold && !a.Crossed && !d.over {
				continue
			}
			if err := d.approve(ctx, a, token); err != nil {
				return err
			}
			e.answered = true
		}
	}
	return nil
}

func (d *driver) approve(ctx context.Context, a *approval, token string) error {
	attempts := 0
	err := d.h.api.Call(ctx, "approve", func(cp *codepipeline.Client) error {
		attempts++
		_, err := cp.PutApprovalResult(ctx, &codepipeline.PutApprovalResultInput{PipelineName: aws.String(a.Exec.Pipeline),
			StageName: aws.String(a.Stage), ActionName: aws.String(a.Action), Token: aws.String(token),
			Result: &types.ApprovalResult{Status: types.ApprovalStatusApproved, Summary: aws.String("fault harness")}})
		return err
	})
	var ae smithy.APIError
	switch {
	case err == nil:
		a.Answer = "approved"
	case errors.As(err, &ae) && ae.ErrorCode() == "ApprovalAlreadyCompletedException" && attempts > 1:
		a.Answer = "already answered" // an earlier attempt got through before its server died
	case errors.As(err, &ae):
		d.h.Add("execution %s of %s: the approval %s/%s refused its token %s: %v", a.Exec.ID, a.Exec.Pipeline, a.Stage, a.Action, token, err)
		a.Answer = "refused: " + ae.ErrorCode()
	default:
		return fmt.Errorf("approve %s: %w", token, err)
	}
	return nil
}

func externalID(r types.ActionExecutionDetail) string {
	if r.Output == nil || r.Output.ExecutionResult == nil {
		return ""
	}
	return aws.ToString(r.Output.ExecutionResult.ExternalExecutionId)
}

func hasApproval(p *types.PipelineDeclaration) bool {
	return slices.ContainsFunc(p.Stages, func(s types.StageDeclaration) bool {
		return slices.ContainsFunc(s.Actions, func(a types.ActionDeclaration) bool {
			return a.ActionTypeId.Category == types.ActionCategoryApproval
		})
	})
}
