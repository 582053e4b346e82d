package storetest

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
)

func eventRule(name string, fire int) *sluice.EventRule {
	r := &sluice.EventRule{Name: name, ARN: "arn:aws:events:eu-west-1:111122223333:rule/" + name, State: sluice.RuleEnabled,
		EventPattern: `{"source":["aws.codepipeline"]}`, Created: at(1), Modified: at(1)}
	if fire > 0 {
		r.ScheduleExpression, r.NextFire = "rate(1 minute)", at(fire)
	}
	return r
}

// testEventRules checks sluice.EventRuleStore.
func testEventRules(t *testing.T, open func(*testing.T) sluice.Store) {
	t.Run("PutGetListDelete", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		a, b := eventRule("a-rule", 0), eventRule("b-rule", 60)
		require.NoError(t, f.s.PutEventRule(f.ctx, a))
		require.NoError(t, f.s.PutEventRule(f.ctx, b))
		got, err := f.s.GetEventRule(f.ctx, "b-rule")
		require.NoError(t, err)
		require.Equal(t, b, got)
		_, err = f.s.GetEventRule(f.ctx, "c-rule")
		requireCode(t, err, sluice.ENotFound, "EventRule")

		page, next, err := f.s.ListEventRules(f.ctx, sluice.EventRuleFilter{Page: sluice.Page{Limit: 1}})
		require.NoError(t, err)
		require.Equal(t, []*sluice.EventRule{a}, page)
		page, next, err = f.s.ListEventRules(f.ctx, sluice.EventRuleFilter{Page: sluice.Page{Limit: 1, Token: next}})
		require.NoError(t, err)
		require.Equal(t, []*sluice.EventRule{b}, page)
		require.Empty(t, next)
		page, _, err = f.s.ListEventRules(f.ctx, sluice.EventRuleFilter{NamePrefix: "b-"})
		require.NoError(t, err)
		require.Equal(t, []*sluice.EventRule{b}, page)

		require.NoError(t, f.s.DeleteEventRule(f.ctx, "a-rule"))
		requireCode(t, f.s.DeleteEventRule(f.ctx, "a-rule"), sluice.ENotFound, "EventRule")
	})

	t.Run("ReplaceKeepsTargets", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		r := eventRule("r", 0)
		require.NoError(t, f.s.PutEventRule(f.ctx, r))
		two := 2
		ts := []*sluice.EventTarget{{ID: "t1", ARN: "arn:aws:sns:eu-west-1:111122223333:topic", MaxRetries: &two},
			{ID: "t2", ARN: "https://example.com/hook", InputTransformer: &sluice.InputTransformer{
				PathsMap: map[string]string{"s": "$.detail.state"}, Template: `"<s>"`}}}
		require.NoError(t, f.s.PutEventTargets(f.ctx, "r", ts))
		r.State, r.Modified = sluice.RuleDisabled, at(2)
		require.NoError(t, f.s.PutEventRule(f.ctx, r))
		got, err := f.s.EventTargets(f.ctx, "r")
		require.NoError(t, err)
		require.Equal(t, ts, got)

		ts[0].Input = `{"a":1}`
		require.NoError(t, f.s.PutEventTargets(f.ctx, "r", ts[:1]), "same id replaces")
		require.NoError(t, f.s.RemoveEventTargets(f.ctx, "r", []string{"t2", "absent"}))
		got, err = f.s.EventTargets(f.ctx, "r")
		require.NoError(t, err)
		require.Equal(t, ts[:1], got)

		requireCode(t, f.s.PutEventTargets(f.ctx, "nope", ts), sluice.ENotFound, "EventRule")
		_, err = f.s.EventTargets(f.ctx, "nope")
		requireCode(t, err, sluice.ENotFound, "EventRule")
	})

	t.Run("TargetLimit", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		require.NoError(t, f.s.PutEventRule(f.ctx, eventRule("r", 0)))
		var ts []*sluice.EventTarget
		for _, id := range []string{"1", "2", "3", "4", "5", "6"} {
			ts = append(ts, &sluice.EventTarget{ID: id, ARN: "https://example.com/" + id})
		}
		requireCode(t, f.s.PutEventTargets(f.ctx, "r", ts), sluice.ELimit, "EventTarget")
		got, err := f.s.EventTargets(f.ctx, "r")
		require.NoError(t, err)
		require.Empty(t, got, "nothing stored")
		require.NoError(t, f.s.PutEventTargets(f.ctx, "r", ts[:5]))
	})

	t.Run("Routing", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		off := eventRule("off", 0)
		off.State = sluice.RuleDisabled
		sched := eventRule("sched", 10)
		sched.EventPattern = ""
		for _, r := range []*sluice.EventRule{eventRule("on", 0), off, sched} {
			require.NoError(t, f.s.PutEventRule(f.ctx, r))
		}
		rules, err := f.s.EnabledEventRules(f.ctx)
		require.NoError(t, err)
		require.Len(t, rules, 1)
		require.Equal(t, "on", rules[0].Name)
	})

	t.Run("Schedules", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		_, ok, err := f.s.NextEventRuleFire(f.ctx)
		require.NoError(t, err)
		require.False(t, ok)
		early, late, off := eventRule("early", 10), eventRule("late", 20), eventRule("off", 5)
		off.State = sluice.RuleDisabled
		for _, r := range []*sluice.EventRule{late, early, off} {
			require.NoError(t, f.s.PutEventRule(f.ctx, r))
		}
		next, ok, err := f.s.NextEventRuleFire(f.ctx)
		require.NoError(t, err)
		require.True(t, ok)
		require.Equal(t, at(10), next)
		due, err := f.s.DueEventRules(f.ctx, at(20), 10)
		require.NoError(t, err)
		require.Equal(t, []*sluice.EventRule{early, late}, due, "earliest first, enabled only")

		// A fire's event and the move of NextFire commit together or not at all.
		fire := func(from, to int) (bool, error) {
			var moved bool
			err := f.s.InTx(f.ctx, func(x sluice.Executor) error {
				var err error
				if moved, err = x.AdvanceEventRule(context.Background(), "early", at(from), at(to)); err != nil || !moved {
					return err
				}
				return x.AddEvents(f.ctx, sluice.Event{DetailType: sluice.DetailScheduled, Source: sluice.SourceSchedule,
					Rule: early.ARN, Time: at(from)})
			})
			return moved, err
		}
		moved, err := fire(10, 70)
		require.NoError(t, err)
		require.True(t, moved)
		moved, err = fire(10, 70)
		require.NoError(t, err)
		require.False(t, moved, "a second runner with the same view fires nothing")
		due, err = f.s.DueEventRules(f.ctx, at(20), 10)
		require.NoError(t, err)
		require.Equal(t, []string{"late"}, ruleNames(due))
	})
}

func ruleNames(rs []*sluice.EventRule) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Name)
	}
	return out
}
