package engine

import (
	"fmt"
	"strconv"
	"time"

	"sluice"
	"sluice/ruleeval"
)

// startRule records a run of rule in condition t of stage run r. VariableCheck and
// DeploymentWindow are decided here, from the execution's variables and the decision's
// clock; the others are jobs: Commands runs as the Commands action does, LambdaInvoke
// invokes a function as the Lambda action does, and CloudWatchAlarm is watched by the
// server's Prometheus watcher.
func (d *decider) startRule(e *sluice.Execution, r *sluice.StageRun, t sluice.ConditionType, rule *sluice.RuleDeclaration) {
	now := d.now()
	run := &sluice.RuleRun{ID: d.ids.NewID(), ExecutionID: e.ID, StageName: r.StageName, StageAttempt: r.Attempt,
		Condition: t, RuleName: rule.Name, RuleType: rule.RuleTypeID, PipelineVersion: e.PipelineVersion,
		Status: sluice.RuleInProgress, StartTime: now, LastUpdateTime: now, Configuration: rule.Configuration,
		RoleARN: rule.RoleArn, Region: rule.Region}
	res := d.resolver(e)
	run.ResolvedConfiguration = res.mapping(rule.Configuration)
	commands := res.list(rule.Commands)
	var inputs []sluice.ArtifactRef
	for _, in := range rule.InputArtifacts {
		ref, ok := d.producedArtifact(e, in.Name)
		if !ok {
			d.insertRule(run)
			d.finishRule(run, sluice.RuleFailed, sluice.FailureConfigurationError, fmt.Sprintf("Rule %s: input artifact %s is not available in this execution", rule.Name, in.Name))
			return
		}
		inputs = append(inputs, ref)
	}
	run.InputArtifacts = inputs
	d.insertRule(run)
	if len(res.missing) > 0 {
		d.finishRule(run, sluice.RuleFailed, sluice.FailureConfigurationError, fmt.Sprintf("one or more variables could not be resolved: Rule name=%s: %s", rule.Name, joinQuoted(res.missing)))
		return
	}
	cfg := run.ResolvedConfiguration
	var job sluice.ActionTypeID
	switch rule.RuleTypeID.Provider {
	case "VariableCheck":
		d.decideRule(run, variableCheck(cfg))
		return
	case "DeploymentWindow":
		d.decideRule(run, deploymentWindow(cfg, now))
		return
	case "Commands":
		job = sluice.RuleJobCommands
	case "LambdaInvoke":
		job = sluice.RuleJobLambda
	case "CloudWatchAlarm":
		job = sluice.RuleJobAlarm
	default:
		d.finishRule(run, sluice.RuleFailed, sluice.FailureConfigurationError, fmt.Sprintf("Rule %s: Sluice does not run rule type %s; ListRuleTypes lists the types it runs.", rule.Name, rule.RuleTypeID.Provider))
		return
	}
	if d.runnable != nil && !d.runnable(job) {
		d.finishRule(run, sluice.RuleFailed, sluice.FailureConfigurationError, unrunnableRule(rule))
		return
	}
	run.Deadline = now.Add(ruleTimeout(rule))
	d.insertJob(&sluice.Job{ID: d.ids.NewID(), ActionRunID: run.ID, ExecutionID: e.ID,
		PipelineName: e.PipelineName, StageName: r.StageName, ActionName: rule.Name, ActionType: job,
		Status: sluice.JobQueued, Deadline: run.Deadline, CreatedAt: now, UpdatedAt: now,
		Data: sluice.JobData{ActionTypeID: job, Configuration: cfg, Commands: commands, InputArtifacts: inputs,
			PipelineArn: d.s.Pipeline.ARN, PipelineVersion: e.PipelineVersion, Condition: t}})
}

func unrunnableRule(rule *sluice.RuleDeclaration) string {
	if rule.RuleTypeID.Provider == "CloudWatchAlarm" {
		return fmt.Sprintf("Rule %s: no Prometheus is configured to watch alarms; start the server with --prometheus-url.", rule.Name)
	}
	return fmt.Sprintf("Rule %s: no Sluice worker runs rule type %s yet.", rule.Name, rule.RuleTypeID.Provider)
}

// verdict is a rule decided without a job.
type verdict struct {
	ok      bool
	summary string
	err     error // the configuration cannot be evaluated
}

func variableCheck(cfg map[string]string) verdict {
	value, op, want := cfg["Variable"], cfg["Operator"], cfg["Value"]
	ok, err := ruleeval.Check(value, op, want)
	switch {
	case err != nil:
		return verdict{err: err}
	case ok:
		return verdict{ok: true, summary: fmt.Sprintf("The variable's value %q satisfies %s %q.", value, op, want)}
	}
	return verdict{summary: fmt.Sprintf("The variable's value %q does not satisfy %s %q.", value, op, want)}
}

func deploymentWindow(cfg map[string]string, now time.Time) verdict {
	inside, next, err := ruleeval.InWindow(cfg["Cron"], cfg["TimeZone"], now)
	switch {
	case err != nil:
		return verdict{err: err}
	case inside:
		return verdict{ok: true, summary: fmt.Sprintf("%s is inside the deployment window %q.", now.UTC().Format(time.RFC3339), cfg["Cron"])}
	case !next.IsZero():
		return verdict{summary: fmt.Sprintf("%s is outside the deployment window %q; it next opens at %s.", now.UTC().Format(time.RFC3339), cfg["Cron"], next.UTC().Format(time.RFC3339))}
	}
	return verdict{summary: fmt.Sprintf("%s is outside the deployment window %q.", now.UTC().Format(time.RFC3339), cfg["Cron"])}
}

func (d *decider) decideRule(run *sluice.RuleRun, v verdict) {
	switch {
	case v.err != nil:
		d.finishRule(run, sluice.RuleFailed, sluice.FailureConfigurationError, fmt.Sprintf("Rule %s: %v", run.RuleName, v.err))
	case v.ok:
		run.Summary = v.summary
		d.finishRule(run, sluice.RuleSucceeded, "", "")
	default:
		d.finishRule(run, sluice.RuleFailed, sluice.FailureJobFailed, v.summary)
	}
}

// finishRule ends a running rule run with a final status.
func (d *decider) finishRule(run *sluice.RuleRun, st sluice.RuleStatus, code, msg string) {
	d.touchRule(run)
	run.Status = st
	run.LastUpdateTime = d.now()
	if st == sluice.RuleFailed || st == sluice.RuleAbandoned {
		run.ErrorCode, run.ErrorMessage = firstNonEmpty(code, sluice.FailureJobFailed), msg
		if run.Summary == "" {
			run.Summary = msg
		}
	}
}

// ruleResult applies a job's result to the rule run it evaluates.
func (d *decider) ruleResult(job *sluice.Job, res sluice.JobResult) error {
	run := d.ruleRuns[job.ActionRunID]
	if run == nil || run.Status != sluice.RuleInProgress {
		return sluice.Errorf(sluice.EInvalidJobState, "", "The rule of job %s is no longer being evaluated.", res.JobID)
	}
	d.closeJob(job, res)
	d.touchRule(run)
	run.LastUpdateTime = d.now()
	reported(res, &run.Summary, &run.ExternalExecutionID, &run.ExternalExecutionURL)
	switch {
	case res.Success && res.ContinuationToken != "":
		d.continueJob(job, res.ContinuationToken)
	case res.Success:
		d.finishRule(run, sluice.RuleSucceeded, "", "")
	default:
		d.finishRule(run, sluice.RuleFailed, firstNonEmpty(res.ErrorType, sluice.FailureJobFailed), res.ErrorMessage)
	}
	return nil
}

// ruleTimeout is how long a rule's job may run: timeoutInMinutes when declared, else the
// Commands action's 55 minutes, an alarm's WaitTime plus an hour, or an hour.
func ruleTimeout(rule *sluice.RuleDeclaration) time.Duration {
	if rule.TimeoutInMinutes > 0 {
		return time.Duration(rule.TimeoutInMinutes) * time.Minute
	}
	switch rule.RuleTypeID.Provider {
	case "Commands":
		return 55 * time.Minute
	case "CloudWatchAlarm":
		wait, _ := strconv.Atoi(rule.Configuration["WaitTime"])
		return time.Duration(max(wait, 0))*time.Minute + time.Hour
	}
	return time.Hour
}

// ruleTimedOut fails a rule run whose deadline passed, closing its jobs.
func (d *decider) ruleTimedOut(run *sluice.RuleRun) {
	if run.Status != sluice.RuleInProgress || run.Deadline.IsZero() || run.Deadline.After(d.now()) {
		return
	}
	for _, j := range d.openJobs(run.ID) {
		d.touchJob(j)
		j.Status = sluice.JobTimedOut
		j.UpdatedAt = d.now()
	}
	d.finishRule(run, sluice.RuleFailed, sluice.FailureJobFailed, "The rule did not finish before its timeout and was stopped.")
}
