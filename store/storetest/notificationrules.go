package storetest

import (
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
)

const (
	ruleARNPrefix = "arn:aws:codestar-notifications:us-east-1:000000000000:notificationrule/"
	topicA        = "arn:aws:sns:us-east-1:000000000000:a"
	topicB        = "arn:aws:sns:us-east-1:000000000000:b"
	slackChannel  = "arn:aws:chatbot::000000000000:chat-configuration/slack-channel/ops"
)

func notificationRule(id, name, resource string, sec int, targets ...string) *sluice.NotificationRule {
	r := &sluice.NotificationRule{ARN: ruleARNPrefix + id, Name: name, Resource: resource,
		EventTypeIDs: []string{"codepipeline-pipeline-pipeline-execution-failed"}, DetailType: sluice.NotificationFull,
		Status: sluice.NotificationRuleEnabled, CreatedBy: "arn:aws:iam::000000000000:root", Created: at(sec), Modified: at(sec)}
	for _, a := range targets {
		r.Targets = append(r.Targets, sluice.NotificationTarget{Address: a, Type: sluice.TargetSNS, Status: sluice.TargetActive})
	}
	return r
}

func ruleARNs(rs []*sluice.NotificationRule) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.ARN
	}
	return out
}

// testNotificationRules checks sluice.NotificationRuleStore.
func testNotificationRules(t *testing.T, open func(*testing.T) sluice.Store) {
	t.Run("CreateGetUpdateDelete", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		r := notificationRule("1", "fails", "arn:aws:codepipeline:us-east-1:000000000000:web", 1, topicA, topicB)
		require.NoError(t, f.s.CreateNotificationRule(f.ctx, r))
		got, err := f.s.GetNotificationRule(f.ctx, r.ARN)
		require.NoError(t, err)
		require.Equal(t, r, got)
		requireCode(t, f.s.CreateNotificationRule(f.ctx, notificationRule("2", "fails", r.Resource, 2)), sluice.EAlreadyExists, "NotificationRule")
		requireCode(t, f.s.CreateNotificationRule(f.ctx, notificationRule("1", "other", r.Resource, 2)), sluice.EAlreadyExists, "NotificationRule")

		r.Name, r.Status, r.DetailType, r.Modified = "renamed", sluice.NotificationRuleDisabled, sluice.NotificationBasic, at(5)
		r.EventTypeIDs = []string{"a", "b"}
		r.Targets = []sluice.NotificationTarget{{Address: slackChannel, Type: sluice.TargetSlack, Status: sluice.TargetPending}, r.Targets[1]}
		require.NoError(t, f.s.UpdateNotificationRule(f.ctx, r))
		got, err = f.s.GetNotificationRule(f.ctx, r.ARN)
		require.NoError(t, err)
		require.Equal(t, r, got)

		require.NoError(t, f.s.CreateNotificationRule(f.ctx, notificationRule("3", "third", r.Resource, 3)))
		requireCode(t, f.s.UpdateNotificationRule(f.ctx, notificationRule("3", "renamed", r.Resource, 3)), sluice.EAlreadyExists, "NotificationRule")
		requireCode(t, f.s.UpdateNotificationRule(f.ctx, notificationRule("9", "nine", r.Resource, 3)), sluice.ENotFound, "NotificationRule")

		require.NoError(t, f.s.TagResource(f.ctx, r.ARN, map[string]string{"k": "v"}))
		require.NoError(t, f.s.DeleteNotificationRule(f.ctx, r.ARN))
		_, err = f.s.GetNotificationRule(f.ctx, r.ARN)
		requireCode(t, err, sluice.ENotFound, "NotificationRule")
		requireCode(t, f.s.DeleteNotificationRule(f.ctx, r.ARN), sluice.ENotFound, "NotificationRule")
		tags, err := f.s.ListTags(f.ctx, r.ARN)
		require.NoError(t, err)
		require.Empty(t, tags)
		tgs, _, err := f.s.ListNotificationTargets(f.ctx, sluice.NotificationTargetFilter{})
		require.NoError(t, err)
		require.Len(t, tgs, 3, "targets stay when their rules let them go")
	})

	t.Run("ListFiltersAndPages", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		web, api := "arn:aws:codepipeline:us-east-1:000000000000:web", "arn:aws:codepipeline:us-east-1:000000000000:api"
		a := notificationRule("a", "a", web, 1, topicA)
		b := notificationRule("b", "b", api, 2, topicB)
		b.EventTypeIDs, b.CreatedBy = []string{"x"}, "arn:aws:iam::000000000000:user/bob"
		c := notificationRule("c", "c", web, 3)
		for _, r := range []*sluice.NotificationRule{c, a, b} {
			require.NoError(t, f.s.CreateNotificationRule(f.ctx, r))
		}
		list := func(fl sluice.NotificationRuleFilter) []string {
			rs, _, err := f.s.ListNotificationRules(f.ctx, fl)
			require.NoError(t, err)
			return ruleARNs(rs)
		}
		require.Equal(t, []string{a.ARN, b.ARN, c.ARN}, list(sluice.NotificationRuleFilter{}))
		require.Equal(t, []string{a.ARN, c.ARN}, list(sluice.NotificationRuleFilter{Resource: web}))
		require.Equal(t, []string{b.ARN}, list(sluice.NotificationRuleFilter{EventTypeID: "x"}))
		require.Equal(t, []string{b.ARN}, list(sluice.NotificationRuleFilter{CreatedBy: b.CreatedBy}))
		require.Equal(t, []string{a.ARN}, list(sluice.NotificationRuleFilter{TargetAddress: topicA}))

		page, next, err := f.s.ListNotificationRules(f.ctx, sluice.NotificationRuleFilter{Page: sluice.Page{Limit: 2}})
		require.NoError(t, err)
		require.Equal(t, []string{a.ARN, b.ARN}, ruleARNs(page))
		page, next, err = f.s.ListNotificationRules(f.ctx, sluice.NotificationRuleFilter{Page: sluice.Page{Limit: 2, Token: next}})
		require.NoError(t, err)
		require.Equal(t, []string{c.ARN}, ruleARNs(page))
		require.Empty(t, next)
		_, _, err = f.s.ListNotificationRules(f.ctx, sluice.NotificationRuleFilter{Page: sluice.Page{Token: "bogus"}})
		requireCode(t, err, sluice.EInvalid, "NextToken")

		rs, err := f.s.NotificationRulesFor(f.ctx, web)
		require.NoError(t, err)
		require.Equal(t, []*sluice.NotificationRule{a, {ARN: c.ARN, Name: c.Name, Resource: web, EventTypeIDs: c.EventTypeIDs,
			DetailType: c.DetailType, Status: c.Status, CreatedBy: c.CreatedBy, Created: c.Created, Modified: c.Modified,
			Targets: []sluice.NotificationTarget{}}}, rs)
	})

	t.Run("Targets", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		web := "arn:aws:codepipeline:us-east-1:000000000000:web"
		require.NoError(t, f.s.CreateNotificationRule(f.ctx, notificationRule("a", "a", web, 1, topicA, topicB)))
		require.NoError(t, f.s.SetNotificationTargetStatus(f.ctx, topicA, sluice.TargetUnreachable))
		requireCode(t, f.s.SetNotificationTargetStatus(f.ctx, "nope", sluice.TargetActive), sluice.ENotFound, "NotificationTarget")
		// A second rule naming a known target keeps the target's status.
		require.NoError(t, f.s.CreateNotificationRule(f.ctx, notificationRule("b", "b", web, 2, topicA)))
		tgs, _, err := f.s.ListNotificationTargets(f.ctx, sluice.NotificationTargetFilter{Status: sluice.TargetUnreachable})
		require.NoError(t, err)
		require.Equal(t, []*sluice.NotificationTarget{{Address: topicA, Type: sluice.TargetSNS, Status: sluice.TargetUnreachable}}, tgs)
		tgs, next, err := f.s.ListNotificationTargets(f.ctx, sluice.NotificationTargetFilter{Page: sluice.Page{Limit: 1}})
		require.NoError(t, err)
		require.Len(t, tgs, 1)
		tgs, next, err = f.s.ListNotificationTargets(f.ctx, sluice.NotificationTargetFilter{Page: sluice.Page{Limit: 1, Token: next}})
		require.NoError(t, err)
		require.Equal(t, topicB, tgs[0].Address)
		require.Empty(t, next)

		requireCode(t, f.s.DeleteNotificationTarget(f.ctx, topicA, false), sluice.EConflict, "NotificationTarget")
		require.NoError(t, f.s.DeleteNotificationTarget(f.ctx, topicA, true))
		requireCode(t, f.s.DeleteNotificationTarget(f.ctx, topicA, true), sluice.ENotFound, "NotificationTarget")
		r, err := f.s.GetNotificationRule(f.ctx, ruleARNPrefix+"a")
		require.NoError(t, err)
		require.Equal(t, []sluice.NotificationTarget{{Address: topicB, Type: sluice.TargetSNS, Status: sluice.TargetActive}}, r.Targets)
	})

	t.Run("ChatChannels", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		ch := &sluice.ChatChannel{Name: "ops", ARN: slackChannel, Kind: sluice.ProtocolSlack,
			URL: "https://hooks.slack.com/services/T/B/secret", Created: at(1), Modified: at(1)}
		require.NoError(t, f.s.PutChatChannel(f.ctx, ch))
		got, err := f.s.GetChatChannel(f.ctx, slackChannel)
		require.NoError(t, err)
		require.Equal(t, ch, got)
		ch.URL, ch.Modified = "https://hooks.slack.com/services/T/B/other", at(2)
		require.NoError(t, f.s.PutChatChannel(f.ctx, &sluice.ChatChannel{Name: ch.Name, ARN: ch.ARN, Kind: ch.Kind, URL: ch.URL,
			Created: at(2), Modified: at(2)}))
		all, err := f.s.ListChatChannels(f.ctx)
		require.NoError(t, err)
		require.Equal(t, []*sluice.ChatChannel{ch}, all, "a replaced channel keeps its creation time")
		_, err = f.s.GetChatChannel(f.ctx, "arn:aws:chatbot::000000000000:chat-configuration/slack-channel/none")
		requireCode(t, err, sluice.ENotFound, "ChatChannel")
		require.NoError(t, f.s.DeleteChatChannel(f.ctx, "ops"))
		requireCode(t, f.s.DeleteChatChannel(f.ctx, "ops"), sluice.ENotFound, "ChatChannel")
	})
}
