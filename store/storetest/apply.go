package storetest

import (
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
)

// testApply checks sluice.Tx.Apply: what it writes.
func testApply(t *testing.T, open func(*testing.T) sluice.Store) {
	t.Run("InsertAssignsSeq", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		f.createPipeline("app")
		f.createPipeline("other")
		e1, e2 := f.execution("app", sluice.ExecutionInProgress), f.execution("app", sluice.ExecutionInProgress)
		f.apply("app", insert(e1, e2))
		require.Equal(t, []int64{1, 2}, []int64{e1.Seq, e2.Seq})

		given := f.execution("app", sluice.ExecutionInProgress)
		given.Seq = 10
		after := f.execution("app", sluice.ExecutionInProgress)
		f.apply("app", insert(given, after))
		require.Equal(t, []int64{10, 11}, []int64{given.Seq, after.Seq})

		first := f.execution("other", sluice.ExecutionInProgress)
		f.apply("other", insert(first))
		require.Equal(t, int64(1), first.Seq)

		got, err := f.s.GetExecution(f.ctx, "app", after.ID)
		require.NoError(t, err)
		require.Equal(t, int64(11), got.Seq)
	})

	t.Run("RoundTripsEveryField", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		f.createPipeline("app")
		e, sr, r, j := fullRows(f)
		rr := fullRuleRun(f, e)
		for _, row := range []any{e, sr, r, j, rr, &sr.Conditions[0]} {
			requireFilled(t, row)
		}
		f.apply("app", insert(e, sr, r, rr, j))

		gotE, err := f.s.GetExecution(f.ctx, "app", e.ID)
		require.NoError(t, err)
		require.Equal(t, e, gotE)
		runs, _, err := f.s.ListActionRuns(f.ctx, "app", sluice.ActionRunFilter{})
		require.NoError(t, err)
		require.Equal(t, []*sluice.ActionRun{r}, runs)
		gotJ, err := f.s.GetJob(f.ctx, j.ID)
		require.NoError(t, err)
		require.Equal(t, j, gotJ)
		rules, _, err := f.s.ListRuleRuns(f.ctx, "app", sluice.RuleRunFilter{})
		require.NoError(t, err)
		require.Equal(t, []*sluice.RuleRun{rr}, rules)
		snap := f.snapshot("app")
		require.Equal(t, []*sluice.StageRun{sr}, snap.StageRuns)
		require.Equal(t, []*sluice.RuleRun{rr}, snap.RuleRuns)
	})

	t.Run("UpdateWritesEveryMutableColumn", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		f.createPipeline("app")
		base := f.execution("app", sluice.ExecutionInProgress)
		baseSR := f.stageRun(base, "Build", sluice.StageInProgress)
		baseR := f.actionRun(base, "Build", "Compile", sluice.ActionInProgress)
		baseJ := f.job(baseR, "app", buildType)
		baseRR := f.ruleRun(base, "Build", sluice.ConditionBeforeEntry, "Gate", sluice.RuleInProgress)
		f.apply("app", insert(base, baseSR, baseR, baseJ, baseRR))

		// Rows with the same keys and every other field changed.
		e, sr, r, j := fullRows(f)
		e.ID, e.Seq = base.ID, base.Seq
		sr.ExecutionID = base.ID
		r.ID, r.ExecutionID = baseR.ID, base.ID
		j.ID, j.ActionRunID, j.ExecutionID = baseJ.ID, baseR.ID, base.ID
		rr := fullRuleRun(f, e)
		rr.ID = baseRR.ID
		f.apply("app", join(update(e, "InProgress"), update(sr, "InProgress"), update(r, "InProgress"),
			update(j, "Queued"), update(rr, "InProgress")))

		gotE, err := f.s.GetExecution(f.ctx, "app", e.ID)
		require.NoError(t, err)
		require.Equal(t, e, gotE)
		runs, _, err := f.s.ListActionRuns(f.ctx, "app", sluice.ActionRunFilter{})
		require.NoError(t, err)
		require.Equal(t, []*sluice.ActionRun{r}, runs)
		gotJ, err := f.s.GetJob(f.ctx, j.ID)
		require.NoError(t, err)
		require.Equal(t, j, gotJ)
		snap := f.snapshot("app", e.ID)
		require.Equal(t, []*sluice.StageRun{sr}, snap.StageRuns)
		require.Equal(t, []*sluice.RuleRun{rr}, snap.RuleRuns)
	})

	t.Run("StagesUpsertWhole", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		f.createPipeline("app")
		disabled := &sluice.StageState{Transition: sluice.TransitionState{
			Enabled: false, DisabledReason: "freeze", LastChangedBy: "ops", LastChangedAt: at(5),
		}, LatestExecutionID: "exec-1"}
		enabled := &sluice.StageState{Transition: sluice.TransitionState{Enabled: true}}
		f.apply("app", &sluice.Plan{Stages: map[string]*sluice.StageState{"Source": enabled, "Build": disabled}})
		require.Equal(t, map[string]*sluice.StageState{"Source": enabled, "Build": disabled}, f.snapshot("app").Stages)

		reenabled := &sluice.StageState{Transition: sluice.TransitionState{Enabled: true, LastChangedBy: "ops", LastChangedAt: at(9)}}
		f.apply("app", &sluice.Plan{Stages: map[string]*sluice.StageState{"Build": reenabled}})
		require.Equal(t, map[string]*sluice.StageState{"Source": enabled, "Build": reenabled}, f.snapshot("app").Stages)

		f.apply("app", &sluice.Plan{Stages: map[string]*sluice.StageState{"Source": nil}})
		require.Equal(t, map[string]*sluice.StageState{"Build": reenabled}, f.snapshot("app").Stages)
	})

	t.Run("Events", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		f.createPipeline("app")
		require.NoError(t, f.s.AddOutboxConsumer(f.ctx, "c"))
		ev := sluice.Event{DetailType: sluice.DetailExecution, State: "STARTED", PipelineName: "app",
			ExecutionID: "exec-1", Stage: "Build", Action: "Compile", ActionRunID: "run-1", Version: 1, Time: at(3),
			Detail: map[string]string{"k": "v"}, ID: "ev-1", Source: sluice.SourceSluice, Attempt: 2, StartTime: at(1),
			Trigger: &sluice.Trigger{Type: sluice.TriggerStartPipelineExecution, Detail: "me"}, StopComment: "why",
			ActionType: &sluice.ActionTypeID{Category: "Build", Owner: "AWS", Provider: "CodeBuild", Version: "1"}, ActionRegion: "eu-west-1",
			InputArtifacts: []sluice.ArtifactRef{{Name: "in", Key: "k1"}}, OutputArtifacts: []sluice.ArtifactRef{{Name: "out", Key: "k2", Revision: "r"}},
			Result:   &sluice.EventResult{ExternalURL: "u", Summary: "s", ExternalID: "x", ErrorCode: "JobFailed"},
			Approval: &sluice.ApprovalNotice{NotificationARN: "arn", Token: "t", CustomData: "c", ExternalLink: "l", Expires: at(9)},
			Rule:     "arn:aws:events:us-east-1:000000000000:rule/r", Resources: []string{"arn:aws:s3:::bucket"}, RawDetail: `{"k":1}`}
		requireFilled(t, &ev)
		f.apply("app", &sluice.Plan{Events: []sluice.Event{ev}})
		require.Equal(t, []sluice.Event{ev}, events(f.read("c", 0)))
	})

	t.Run("ExecutionByClientToken", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		f.createPipeline("app")
		f.createPipeline("other")
		e := f.execution("app", sluice.ExecutionSucceeded)
		e.ClientToken = "token-1"
		f.apply("app", insert(e, f.execution("app", sluice.ExecutionInProgress)))
		byToken := func(pipeline, token string) string {
			var id string
			f.update(pipeline, func(tx sluice.Tx) error {
				var err error
				id, err = tx.ExecutionByClientToken(f.ctx, token)
				return err
			})
			return id
		}
		require.Equal(t, e.ID, byToken("app", "token-1"))
		require.Empty(t, byToken("app", "token-2"))
		require.Empty(t, byToken("app", ""))
		require.Empty(t, byToken("other", "token-1"))
	})

	t.Run("ExecutionByApprovalToken", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		f.createPipeline("app")
		f.createPipeline("other")
		e := f.execution("app", sluice.ExecutionFailed)
		answered := f.actionRun(e, "Approve", "OK", sluice.ActionFailed)
		answered.Token = "tok-1"
		plain := f.actionRun(e, "Build", "Make", sluice.ActionSucceeded)
		f.apply("app", insert(e, answered, plain))
		byToken := func(pipeline, token string) string {
			var id string
			f.update(pipeline, func(tx sluice.Tx) error {
				var err error
				id, err = tx.ExecutionByApprovalToken(f.ctx, token)
				return err
			})
			return id
		}
		require.Equal(t, e.ID, byToken("app", "tok-1"), "an answered approval is found too")
		require.Empty(t, byToken("app", "tok-2"))
		require.Empty(t, byToken("app", ""), "runs without a token never match")
		require.Empty(t, byToken("other", "tok-1"))
	})
}

// fullRows returns an execution, stage run (its first condition run too), action run and
// job with every field set.
func fullRows(f *fixture) (*sluice.Execution, *sluice.StageRun, *sluice.ActionRun, *sluice.Job) {
	rev := sluice.Revision{RevisionID: "abc123", ChangeIdentifier: "chg", Summary: "fix", URL: "https://git/abc",
		Created: at(1), Variables: map[string]string{"CommitId": "abc123"}}
	e := f.execution("app", sluice.ExecutionStopping)
	e.StatusSummary, e.StopReason, e.StopAbandon, e.Attempt = "stopping", "because", true, 2
	e.Mode, e.ClientToken, e.WaitingAt, e.Seq = sluice.ModeParallel, "tok", "Build", 42
	e.Trigger = sluice.Trigger{Type: sluice.TriggerWebhook, Detail: "push"}
	e.Variables = map[string]string{"ENV": "prod"}
	e.Revisions = map[string]sluice.Revision{"Checkout": rev}
	e.LastUpdateTime = at(500)
	e.Type, e.RollbackTarget, e.RollbackStage = sluice.ExecutionRollback, "exec-target", "Build"

	sr := f.stageRun(e, "Build", sluice.StageStopping)
	sr.Attempt, sr.BaseAttempt, sr.LastUpdateTime = 3, 2, at(501)
	sr.Conditions = []sluice.ConditionRun{
		{Type: sluice.ConditionBeforeEntry, Attempt: 2, Status: sluice.ConditionOverridden, Summary: "gate",
			Result: sluice.ResultFail, LastStatusChange: at(499), OverriddenBy: "ops"},
		{Type: sluice.ConditionOnFailure, Attempt: 3, Status: sluice.ConditionInProgress, Result: sluice.ResultRollback,
			LastStatusChange: at(501)},
	}
	sr.AutoRetries, sr.ManualRetries, sr.LatestRetryTrigger = 1, 2, sluice.RetryTriggerManual

	r := f.actionRun(e, "Build", "Test", sluice.ActionFailed)
	r.StageAttempt, r.PipelineVersion, r.LastUpdateTime = 3, 1, at(502)
	r.UpdatedBy, r.Summary, r.ExternalExecutionID, r.ExternalExecutionURL = "worker-1", "broke", "ext-1", "https://ext/1"
	r.PercentComplete, r.ErrorCode, r.ErrorMessage, r.Token = 50, "JobFailed", "tests failed", "approval-token"
	r.Deadline = at(900)
	r.ResolvedConfiguration = map[string]string{"ProjectName": "app"}
	r.InputArtifacts = []sluice.ArtifactRef{{Name: "src", Key: "k/src.zip", Revision: "abc123"}}
	r.OutputArtifacts = []sluice.ArtifactRef{{Name: "out", Key: "k/out.zip"}}
	r.OutputVariables = map[string]string{"RESULT": "red"}
	r.Revision = &rev

	j := f.job(r, "app", buildType)
	j.Status, j.Nonce, j.Worker = sluice.JobInProgress, "nonce-1", "worker-1"
	j.LeaseExpiresAt, j.Deadline, j.UpdatedAt = at(600), at(900), at(503)
	j.Data = sluice.JobData{
		ActionTypeID: buildType, Configuration: map[string]string{"ProjectName": "app"},
		Commands: []string{"make"}, OutputVariables: []string{"RESULT"},
		Environment:     []sluice.EnvironmentVariable{{Name: "A", Value: "b", Type: "PLAINTEXT"}},
		InputArtifacts:  []sluice.ArtifactRef{{Name: "src", Key: "k/src.zip"}},
		OutputArtifacts: []sluice.OutputArtifactRef{{ArtifactRef: sluice.ArtifactRef{Name: "out", Key: "k/out.zip"}, Files: []string{"bin/**"}}},
		Revision:        &rev, ContinuationToken: "cont", PipelineArn: "arn:p", PipelineVersion: 1, Namespace: "ns",
	}
	return e, sr, r, j
}

// fullRuleRun returns a rule run of e with every field set.
func fullRuleRun(f *fixture, e *sluice.Execution) *sluice.RuleRun {
	rr := f.ruleRun(e, "Build", sluice.ConditionOnSuccess, "Alarm", sluice.RuleFailed)
	rr.StageAttempt, rr.PipelineVersion, rr.LastUpdateTime = 3, 1, at(504)
	rr.UpdatedBy, rr.Summary, rr.ExternalExecutionID, rr.ExternalExecutionURL = "server", "alarm fired", "ext-2", "https://ext/2"
	rr.ErrorCode, rr.ErrorMessage, rr.Deadline = "JobFailed", "errors went up", at(901)
	rr.Configuration = map[string]string{"AlarmName": "errors"}
	rr.ResolvedConfiguration = map[string]string{"AlarmName": "errors-prod"}
	rr.RoleARN, rr.Region = "arn:aws:iam::123456789012:role/rules", "eu-west-1"
	rr.InputArtifacts = []sluice.ArtifactRef{{Name: "src", Key: "k/src.zip", Revision: "abc123"}}
	return rr
}
