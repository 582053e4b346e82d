package alarm

import (
	"context"
	"fmt"
	"strings"
	"time"

	"sluice"
	"sluice/callout"
	"sluice/ruleeval"
)

// watch evaluates one claimed job's rule and reports its result, unless the server is
// shutting down or the job was closed under the watch (abandoned, timed out, deleted).
func (w *Watcher) watch(ctx context.Context, j *sluice.Job) {
	rule, err := ruleeval.ParseAlarm(j.Data.Configuration)
	if err != nil {
		w.Report.Settle(ctx, j, failure(sluice.FailureConfigurationError, err.Error()), w.Log)
		return
	}
	watchCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	stop := w.Queue.KeepLease(watchCtx, j, w.Log, func(err error) {
		w.Log.Info("the rule's job was closed; its watch ends", "job", j.ID, "err", err)
		cancel()
	})
	res, done := w.evaluate(watchCtx, j, rule)
	stop()
	if done {
		w.Report.Settle(ctx, j, res, w.Log)
	}
}

// evaluate checks the rule's alerts until one is in a bad state (failure) or WaitTime has
// passed (success when the check made then answered). A check Prometheus does not answer
// is made again at the next interval; if the last one is not answered the rule fails, as
// Sluice never passes a rule it could not check. done is false when ctx ended first.
func (w *Watcher) evaluate(ctx context.Context, j *sluice.Job, rule ruleeval.Alarm) (res sluice.JobResult, done bool) {
	end := time.Now().Add(time.Duration(rule.WaitMinutes) * w.Minute)
	for checks := 1; ; checks++ {
		last := !time.Now().Before(end)
		got, err := w.check(ctx, rule.Names)
		switch {
		case ctx.Err() != nil:
			return res, false
		case err == nil:
			if name, state := rule.FirstBad(got); name != "" {
				w.Log.Info("CloudWatchAlarm rule failed", "job", j.ID, "alarm", name, "state", state)
				return failure(sluice.FailureJobFailed, badMessage(name, state)), true
			}
			if last {
				return sluice.JobResult{Success: true, Summary: okMessage(rule, checks)}, true
			}
		case last:
			return failure(sluice.FailureJobFailed, fmt.Sprintf("Sluice could not read the alerts of Prometheus at %s: %v. "+
				"Check that it runs and that the server's --prometheus-url points at it.", w.shown, err)), true
		default:
			w.Log.Warn("read Prometheus alerts; asking again at the next check", "job", j.ID, "err", err)
		}
		if !callout.Sleep(ctx, min(w.Interval, max(time.Until(end), 0))) {
			return res, false
		}
	}
}

// check asks Prometheus for the states of names, again after a backoff while it cannot be
// reached or answers 5xx or 429, up to Attempts times.
func (w *Watcher) check(ctx context.Context, names []string) (got map[string]string, err error) {
	err = callout.Retry(ctx, w.Attempts, w.Backoff, func() (retry bool, err error) {
		got, retry, err = w.checkOnce(ctx, names)
		return retry, err
	})
	return got, err
}

// seen says what Prometheus showed for each state.
var seen = map[string]string{
	ruleeval.StateAlarm:            "the Prometheus alert is firing",
	ruleeval.StateInsufficientData: "the Prometheus alert is pending",
	ruleeval.StateOK:               "Prometheus lists no such alert",
}

func badMessage(name, state string) string {
	return fmt.Sprintf("Alarm %s is in state %s (%s).", name, state, seen[state])
}

func okMessage(r ruleeval.Alarm, checks int) string {
	names, bad := strings.Join(r.Names, ", "), strings.Join(r.Bad, ", ")
	if r.WaitMinutes == 0 {
		return fmt.Sprintf("Alarm %s is not in %s.", names, bad)
	}
	return fmt.Sprintf("Alarm %s was not in %s during the %d-minute wait (%d checks).", names, bad, r.WaitMinutes, checks)
}

func failure(typ, msg string) sluice.JobResult {
	return sluice.JobResult{ErrorType: typ, ErrorMessage: msg, Summary: msg}
}
