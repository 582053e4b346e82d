package runner

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"sluice"
)

// Limits of the model: ExecutionSummary and FailureDetails.message.
const (
	maxSummary = 2048
	maxMessage = 5000
)

// failure is a job failure the runner found itself: a FailureType and a headline.
type failure struct {
	kind string
	msg  string
}

func (f *failure) Error() string { return f.msg }

func failf(kind, format string, args ...any) *failure {
	return &failure{kind: kind, msg: fmt.Sprintf(format, args...)}
}

// providerFailure maps a provider's error: a bad configuration is the user's to fix,
// anything else is a system failure (the Provider contract).
func providerFailure(err error) error {
	if sluice.IsCode(err, sluice.EInvalid) {
		return failf(sluice.FailureConfigurationError, "%v", err)
	}
	return failf(sluice.FailureSystemUnavailable, "the provider failed: %v", err)
}

// jobRun is what the result of one job is built from.
type jobRun struct {
	job     *sluice.Job
	log     *jobLog // nil when the job failed before its log was open
	started time.Time
}

// result turns how the job ended into a JobResult. A stop (deadline or abandon) wins over
// whatever the provider returned, since outputs are not stored once the job is stopped.
func (j *jobRun) result(ctx context.Context, out *sluice.Outcome, err error) sluice.JobResult {
	res := sluice.JobResult{JobID: j.job.ID, Nonce: j.job.Nonce}
	var f *failure
	switch cause := context.Cause(ctx); {
	case errors.Is(cause, errTimedOut):
		j.fail(&res, sluice.FailureJobFailed, j.timedOut(), true)
	case cause != nil:
		j.fail(&res, sluice.FailureJobFailed, "Job was stopped before it finished", true)
	case errors.As(err, &f):
		j.fail(&res, f.kind, f.msg, true)
	case err != nil:
		j.fail(&res, sluice.FailureSystemUnavailable, err.Error(), true)
	case !out.Success:
		j.outcomeFailed(&res, out)
	default:
		j.succeeded(&res, out)
	}
	return res
}

func (j *jobRun) succeeded(res *sluice.JobResult, out *sluice.Outcome) {
	if out.ContinuationToken == "" {
		if msg := checkOutputVariables(out.OutputVariables); msg != "" {
			j.fail(res, sluice.FailureJobFailed, msg, true)
			return
		}
	}
	res.Success = true
	res.Summary = clip(j.mask(out.Summary), maxSummary)
	res.ExternalID = out.ExternalID
	res.ContinuationToken = out.ContinuationToken
	res.OutputVariables = j.maskVars(out.OutputVariables)
	res.Revision = out.Revision
}

// maskVars masks secrets in output variables, which are stored and shown in the clear: a
// build that exports a resolved secret stores "****".
func (j *jobRun) maskVars(vars map[string]string) map[string]string {
	if j.log == nil || len(vars) == 0 {
		return vars
	}
	out := make(map[string]string, len(vars))
	for k, v := range vars {
		out[k] = j.mask(v)
	}
	return out
}

// outcomeFailed keeps the provider's own words; only a failure without any gets the log's
// last lines, which a provider summary (Commands: exit status and output) already quotes.
func (j *jobRun) outcomeFailed(res *sluice.JobResult, out *sluice.Outcome) {
	kind := out.ErrorType
	if !validFailureType(kind) {
		kind = sluice.FailureJobFailed
	}
	summary := j.mask(out.Summary)
	if summary == "" && out.ErrorMessage == "" {
		j.fail(res, kind, "The action failed", true)
	} else {
		j.fail(res, kind, summary, false)
	}
	if out.ErrorMessage != "" {
		res.ErrorMessage = clip(j.mask(out.ErrorMessage), maxMessage)
	}
	if res.Summary == "" {
		res.Summary = clip(res.ErrorMessage, maxSummary)
	}
	res.ExternalID = out.ExternalID
}

// fail fills a failed result: the headline, followed by the log's last lines when withTail,
// in both the summary and the message. The headline's first line goes to the log; the rest
// of a provider's summary usually quotes the log already.
func (j *jobRun) fail(res *sluice.JobResult, kind, headline string, withTail bool) {
	text := headline
	if j.log != nil {
		if t := j.log.lastLines(); withTail && t != "" {
			text += "\n" + t
		}
		if first, _, _ := strings.Cut(headline, "\n"); first != "" {
			j.log.note(first)
		}
	}
	res.Success, res.ErrorType = false, kind
	res.Summary, res.ErrorMessage = clip(text, maxSummary), clip(text, maxMessage)
}

// timedOut says how long the job had: from its creation (or this run's start) to its
// deadline, in whole minutes as action timeouts are set.
func (j *jobRun) timedOut() string {
	from := j.job.CreatedAt
	if from.IsZero() || !from.Before(j.job.Deadline) {
		from = j.started
	}
	limit := j.job.Deadline.Sub(from)
	if limit < time.Minute {
		return fmt.Sprintf("Job timed out after %s", max(limit, 0).Round(time.Second))
	}
	if m := int(limit.Round(time.Minute) / time.Minute); m != 1 {
		return fmt.Sprintf("Job timed out after %d minutes", m)
	}
	return "Job timed out after 1 minute"
}

func (j *jobRun) mask(s string) string {
	if j.log == nil {
		return s
	}
	return j.log.maskString(s)
}

func validFailureType(t string) bool {
	switch t {
	case sluice.FailureJobFailed, sluice.FailureConfigurationError, sluice.FailurePermissionError,
		sluice.FailureRevisionOutOfSync, sluice.FailureRevisionUnavailable, sluice.FailureSystemUnavailable:
		return true
	}
	return false
}

// clip cuts s to at most n bytes on a character boundary (the model counts characters, so
// n bytes are always within the limit).
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
