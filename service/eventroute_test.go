package service_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/eventbus"
	"sluice/service"
)

// routeSetup is a core with a topic whose one email subscription is confirmed, and a rule
// matching failed pipeline executions that targets the topic and a webhook.
func routeSetup(t *testing.T) (*bundle, eventbus.Scope, string, string) {
	t.Helper()
	b := setup(t)
	ctx := context.Background()
	svc := b.svc
	topic, err := svc.CreateTopic(ctx, caller, "alerts", nil, nil)
	require.NoError(t, err)
	sub, err := svc.Subscribe(ctx, caller, service.SubscribeParams{TopicARN: topic, Protocol: "email", Endpoint: "ops@example.com",
		ReturnSubscriptionArn: true})
	require.NoError(t, err)
	log, _, err := b.db.ListDeliveries(ctx, sluice.DeliveryFilter{Target: sub})
	require.NoError(t, err)
	require.Len(t, log, 1, "the confirmation")
	_, err = svc.ConfirmSubscription(ctx, caller, service.ConfirmParams{TopicARN: topic, Token: log[0].Delivery.Token})
	require.NoError(t, err)

	arn, err := svc.PutRule(ctx, caller, service.PutRuleParams{Name: "failed",
		EventPattern: `{"source":["aws.codepipeline"],"detail":{"state":["FAILED"]}}`})
	require.NoError(t, err)
	failed, err := svc.PutTargets(ctx, caller, "failed", "", []*sluice.EventTarget{
		{ID: "mail", ARN: topic, InputPath: "$.detail.pipeline"},
		{ID: "hook", ARN: "https://hooks.example.com/in"}})
	require.NoError(t, err)
	require.Empty(t, failed)
	return b, eventbus.Scope{ARNScope: svc.Scope(), Salt: "test"}, sub, arn
}

func deliveries(t *testing.T, b *bundle, target string) []*sluice.DeliveryRecord {
	t.Helper()
	log, _, err := b.db.ListDeliveries(context.Background(), sluice.DeliveryFilter{Target: target})
	require.NoError(t, err)
	return log
}

func TestRouteToRules(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	failedRun := func(id int64, state string) *sluice.OutboxRecord {
		return &sluice.OutboxRecord{ID: id, Event: sluice.Event{DetailType: sluice.DetailExecution, State: state, PipelineName: "web",
			ExecutionID: "e1", Version: 1}}
	}

	t.Run("EachTargetOncePerEvent", func(t *testing.T) {
		t.Parallel()
		b, scope, sub, rule := routeSetup(t)
		env := scope.Envelope(failedRun(7, "FAILED"))
		require.NoError(t, b.svc.RouteToRules(ctx, env))
		require.NoError(t, b.svc.RouteToRules(ctx, env), "a redelivered event")

		mail := deliveries(t, b, sub)
		require.Len(t, mail, 2, "the confirmation and one notification")
		require.Equal(t, "Notification", mail[0].Delivery.Type)
		require.Equal(t, `"web"`, mail[0].Delivery.Message, "InputPath's part of the event")
		require.Empty(t, mail[0].Delivery.Subject)

		hook := deliveries(t, b, rule+"/hook")
		require.Len(t, hook, 1)
		d := hook[0].Delivery
		require.Equal(t, sluice.ProtocolWebhook, d.Protocol)
		require.Equal(t, env.ID, d.ID, "the receiver sees the event's id")
		require.JSONEq(t, string(env.JSON()), d.Message)

		require.NoError(t, b.svc.RouteToRules(ctx, scope.Envelope(failedRun(8, "FAILED"))))
		require.Len(t, deliveries(t, b, rule+"/hook"), 2, "another event is delivered again")
	})

	t.Run("NoMatchNoSend", func(t *testing.T) {
		t.Parallel()
		b, scope, _, rule := routeSetup(t)
		require.NoError(t, b.svc.RouteToRules(ctx, scope.Envelope(failedRun(7, "SUCCEEDED"))))
		require.Empty(t, deliveries(t, b, rule+"/hook"))
	})

	t.Run("DisabledRuleSendsNothing", func(t *testing.T) {
		t.Parallel()
		b, scope, _, rule := routeSetup(t)
		require.NoError(t, b.svc.SetRuleState(ctx, caller, "failed", "", false))
		require.NoError(t, b.svc.RouteToRules(ctx, scope.Envelope(failedRun(7, "FAILED"))))
		require.Empty(t, deliveries(t, b, rule+"/hook"))
	})

	t.Run("ScheduledEventOnlyToItsRule", func(t *testing.T) {
		t.Parallel()
		b, scope, _, _ := routeSetup(t)
		svc := b.svc
		// A pattern that matches every scheduled event still does not receive another's.
		all, err := svc.PutRule(ctx, caller, service.PutRuleParams{Name: "all", EventPattern: `{"source":["aws.events"]}`})
		require.NoError(t, err)
		tick, err := svc.PutRule(ctx, caller, service.PutRuleParams{Name: "tick", ScheduleExpression: "rate(5 minutes)"})
		require.NoError(t, err)
		for _, r := range []string{"all", "tick"} {
			_, err := svc.PutTargets(ctx, caller, r, "", []*sluice.EventTarget{{ID: "hook", ARN: "https://hooks.example.com/" + r}})
			require.NoError(t, err)
		}
		env := scope.Envelope(&sluice.OutboxRecord{ID: 9, Event: sluice.Event{Source: sluice.SourceSchedule,
			DetailType: sluice.DetailScheduled, Rule: tick}})
		require.NoError(t, svc.RouteToRules(ctx, env))
		require.Len(t, deliveries(t, b, tick+"/hook"), 1)
		require.Empty(t, deliveries(t, b, all+"/hook"))
	})

	t.Run("DeletedTopicIsSkipped", func(t *testing.T) {
		t.Parallel()
		b, scope, _, rule := routeSetup(t)
		require.NoError(t, b.svc.DeleteTopic(ctx, caller, b.svc.Scope().ARN(sluice.TopicARN, "alerts")))
		require.NoError(t, b.svc.RouteToRules(ctx, scope.Envelope(failedRun(7, "FAILED"))), "a refusal for good is not retried")
		require.Len(t, deliveries(t, b, rule+"/hook"), 1, "the other targets still get the event")
	})
}
