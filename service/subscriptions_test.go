package service_test

import (
	"context"
	"net/netip"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/netguard"
	"sluice/service"
)

// publicNames resolves every name to a public address, so the guard passes without DNS.
type publicNames struct{}

func (publicNames) LookupNetIP(context.Context, string, string) ([]netip.Addr, error) {
	return []netip.Addr{netip.MustParseAddr("93.184.216.34")}, nil
}

func snsSetup(t *testing.T) (*bundle, string) {
	t.Helper()
	b := setup(t)
	b.svc.Guard = netguard.Guard{Resolver: publicNames{}}
	arn, err := b.svc.CreateTopic(t.Context(), caller, "alerts", nil, nil)
	require.NoError(t, err)
	return b, arn
}

func TestSubscriptions(t *testing.T) {
	t.Parallel()

	t.Run("SubscribeConfirmPublish", func(t *testing.T) {
		t.Parallel()
		b, topic := snsSetup(t)
		got, err := b.svc.Subscribe(t.Context(), caller, service.SubscribeParams{TopicARN: topic, Protocol: "https",
			Endpoint: "https://hooks.example.com/sns", Attributes: map[string]string{"RawMessageDelivery": "True"}})
		require.NoError(t, err)
		require.Equal(t, service.PendingConfirmation, got)

		subs, _, err := b.svc.ListSubscriptionsByTopic(t.Context(), caller, topic, "")
		require.NoError(t, err)
		require.Len(t, subs, 1)
		sub := subs[0]
		require.False(t, sub.Confirmed)
		require.Equal(t, "true", sub.Attributes["RawMessageDelivery"])
		ds := deliveriesOf(t, b, sub.ARN)
		require.Len(t, ds, 1)
		require.Equal(t, sluice.MessageSubscriptionConfirmation, ds[0].Type)
		require.Empty(t, sub.Token, "lists show no token")
		stored, err := b.db.GetSubscription(t.Context(), sub.ARN)
		require.NoError(t, err)
		require.Equal(t, stored.Token, ds[0].Token)
		require.Len(t, stored.Token, 64)
		require.Equal(t, b.svc.Now().Add(48*time.Hour), stored.TokenExpires)

		_, err = b.svc.Publish(t.Context(), caller, sluice.PublishInput{TopicARN: topic, Message: "before"})
		require.NoError(t, err)
		require.Len(t, deliveriesOf(t, b, sub.ARN), 1, "nothing but the confirmation before it is confirmed")

		_, err = b.svc.ConfirmSubscription(t.Context(), sluice.Caller{}, service.ConfirmParams{TopicARN: topic, Token: "nope", Link: true})
		require.Equal(t, sluice.EInvalid, sluice.ErrorCode(err))
		arn, err := b.svc.ConfirmSubscription(t.Context(), sluice.Caller{}, service.ConfirmParams{TopicARN: topic, Token: stored.Token, Link: true})
		require.NoError(t, err)
		require.Equal(t, sub.ARN, arn)

		_, err = b.svc.Publish(t.Context(), caller, sluice.PublishInput{TopicARN: topic, Message: "after"})
		require.NoError(t, err)
		ds = deliveriesOf(t, b, sub.ARN)
		require.Len(t, ds, 2)
		require.Equal(t, "after", ds[0].Message)
		require.True(t, ds[0].Raw)

		again, err := b.svc.Subscribe(t.Context(), caller, service.SubscribeParams{TopicARN: topic, Protocol: "https",
			Endpoint: "https://hooks.example.com/sns"})
		require.NoError(t, err)
		require.Equal(t, sub.ARN, again, "subscribing a confirmed endpoint again answers its subscription")

		attrs, err := b.svc.GetSubscriptionAttributes(t.Context(), caller, sub.ARN)
		require.NoError(t, err)
		require.Equal(t, "false", attrs["PendingConfirmation"])
		require.Equal(t, topic, attrs["TopicArn"])
		require.Contains(t, attrs["EffectiveDeliveryPolicy"], `"numRetries":3`)

		require.NoError(t, b.svc.Unsubscribe(t.Context(), sluice.Caller{}, sub.ARN, true))
		ds = deliveriesOf(t, b, sub.ARN)
		require.Equal(t, sluice.MessageUnsubscribeConfirmation, ds[0].Type)
		require.Equal(t, sluice.ENotFound, sluice.ErrorCode(b.svc.Unsubscribe(t.Context(), caller, sub.ARN, false)))
		_, err = b.svc.GetSubscriptionAttributes(t.Context(), caller, sub.ARN)
		require.Equal(t, sluice.ENotFound, sluice.ErrorCode(err), "an unsubscribed subscription is gone")
		subs, _, err = b.svc.ListSubscriptions(t.Context(), caller, "")
		require.NoError(t, err)
		require.Empty(t, subs)
		topicAttrs, err := b.svc.GetTopicAttributes(t.Context(), caller, topic)
		require.NoError(t, err)
		require.Equal(t, []string{"0", "0", "1"}, []string{topicAttrs["SubscriptionsConfirmed"], topicAttrs["SubscriptionsPending"],
			topicAttrs["SubscriptionsDeleted"]})
		_, err = b.svc.Publish(t.Context(), caller, sluice.PublishInput{TopicARN: topic, Message: "while away"})
		require.NoError(t, err)
		require.Len(t, deliveriesOf(t, b, sub.ARN), 3, "nothing published while unsubscribed")

		restored, err := b.svc.ConfirmSubscription(t.Context(), sluice.Caller{}, service.ConfirmParams{TopicARN: topic, Token: ds[0].Token, Link: true})
		require.NoError(t, err, "the UnsubscribeConfirmation's SubscribeURL restores the subscription")
		require.Equal(t, sub.ARN, restored)
		attrs, err = b.svc.GetSubscriptionAttributes(t.Context(), caller, sub.ARN)
		require.NoError(t, err)
		require.Equal(t, "true", attrs["RawMessageDelivery"], "with its attributes")
		require.NotContains(t, attrs, "sluice:Unsubscribed")
		_, err = b.svc.Publish(t.Context(), caller, sluice.PublishInput{TopicARN: topic, Message: "back"})
		require.NoError(t, err)
		require.Equal(t, "back", deliveriesOf(t, b, sub.ARN)[0].Message)
	})

	t.Run("EndpointPasswordMasked", func(t *testing.T) {
		t.Parallel()
		b, topic := snsSetup(t)
		arn, err := b.svc.Subscribe(t.Context(), caller, service.SubscribeParams{TopicARN: topic, Protocol: "https",
			Endpoint: "https://hook:s3cret@hooks.example.com/sns", ReturnSubscriptionArn: true})
		require.NoError(t, err)
		subs, _, err := b.svc.ListSubscriptions(t.Context(), caller, "")
		require.NoError(t, err)
		require.Equal(t, "https://hook:%2A%2A%2A%2A@hooks.example.com/sns", subs[0].Endpoint)
		require.Empty(t, subs[0].Token)
		attrs, err := b.svc.GetSubscriptionAttributes(t.Context(), caller, arn)
		require.NoError(t, err)
		require.NotContains(t, attrs["Endpoint"], "s3cret")
		ds := deliveriesOf(t, b, arn)
		require.Equal(t, "https://hook:s3cret@hooks.example.com/sns", ds[0].Endpoint, "the sender has it")
	})

	t.Run("PendingResubscribeSendsNewToken", func(t *testing.T) {
		t.Parallel()
		b, topic := snsSetup(t)
		p := service.SubscribeParams{TopicARN: topic, Protocol: "email", Endpoint: "ops@example.com", ReturnSubscriptionArn: true}
		arn1, err := b.svc.Subscribe(t.Context(), caller, p)
		require.NoError(t, err)
		require.Regexp(t, `^arn:aws:sns:eu-west-1:123456789012:alerts:[0-9a-f-]{36}$`, arn1)
		arn2, err := b.svc.Subscribe(t.Context(), caller, p)
		require.NoError(t, err)
		require.Equal(t, arn1, arn2)
		ds := deliveriesOf(t, b, arn1)
		require.Len(t, ds, 2)
		require.NotEqual(t, ds[0].Token, ds[1].Token)
		attrs, err := b.svc.GetSubscriptionAttributes(t.Context(), caller, arn1)
		require.NoError(t, err)
		require.Equal(t, "true", attrs["PendingConfirmation"])
		require.NotContains(t, attrs, "EffectiveDeliveryPolicy")
	})

	t.Run("AuthenticateOnUnsubscribe", func(t *testing.T) {
		t.Parallel()
		b, topic := snsSetup(t)
		arn, err := b.svc.Subscribe(t.Context(), caller, service.SubscribeParams{TopicARN: topic, Protocol: "http",
			Endpoint: "http://hooks.example.com/", ReturnSubscriptionArn: true})
		require.NoError(t, err)
		token := deliveriesOf(t, b, arn)[0].Token
		_, err = b.svc.ConfirmSubscription(t.Context(), caller, service.ConfirmParams{TopicARN: topic, Token: token, AuthenticateOnUnsubscribe: true})
		require.NoError(t, err)
		require.Equal(t, sluice.EAccessDenied, sluice.ErrorCode(b.svc.Unsubscribe(t.Context(), sluice.Caller{}, arn, true)))
		require.NoError(t, b.svc.Unsubscribe(t.Context(), caller, arn, false))
	})

	t.Run("Refusals", func(t *testing.T) {
		t.Parallel()
		b, topic := snsSetup(t)
		for name, p := range map[string]service.SubscribeParams{
			"Loopback":       {Protocol: "http", Endpoint: "http://127.0.0.1:8080/"},
			"Private":        {Protocol: "https", Endpoint: "https://10.1.2.3/"},
			"Localhost":      {Protocol: "http", Endpoint: "http://localhost/"},
			"SchemeMismatch": {Protocol: "https", Endpoint: "http://hooks.example.com/"},
			"BadEmail":       {Protocol: "email", Endpoint: "not an address"},
			"Protocol":       {Protocol: "sms", Endpoint: "+15555550100"},
			"RawEmail":       {Protocol: "email", Endpoint: "a@example.com", Attributes: map[string]string{"RawMessageDelivery": "true"}},
			"Attribute":      {Protocol: "http", Endpoint: "http://hooks.example.com/", Attributes: map[string]string{"Nope": "1"}},
			"FilterPolicy": {Protocol: "http", Endpoint: "http://hooks.example.com/",
				Attributes: map[string]string{"FilterPolicy": `{"a":"not a list"}`}},
			"FilterScope": {Protocol: "http", Endpoint: "http://hooks.example.com/",
				Attributes: map[string]string{"FilterPolicyScope": "Headers"}},
			"Policy": {Protocol: "http", Endpoint: "http://hooks.example.com/",
				Attributes: map[string]string{"DeliveryPolicy": `{"healthyRetryPolicy":{"numRetries":101}}`}},
		} {
			p.TopicARN = topic
			_, err := b.svc.Subscribe(t.Context(), caller, p)
			require.Equal(t, sluice.EInvalid, sluice.ErrorCode(err), name)
		}
		subs, _, err := b.svc.ListSubscriptions(t.Context(), caller, "")
		require.NoError(t, err)
		require.Empty(t, subs, "nothing stored")

		b.svc.Guard.AllowLocal = true
		_, err = b.svc.Subscribe(t.Context(), caller, service.SubscribeParams{TopicARN: topic, Protocol: "http", Endpoint: "http://127.0.0.1:8080/"})
		require.NoError(t, err, "--allow-local-destinations")
		_, err = b.svc.Subscribe(t.Context(), caller, service.SubscribeParams{TopicARN: topic + "x", Protocol: "http", Endpoint: "http://127.0.0.1:8080/"})
		require.Equal(t, sluice.ENotFound, sluice.ErrorCode(err))
	})

	t.Run("SetAttributes", func(t *testing.T) {
		t.Parallel()
		b, topic := snsSetup(t)
		arn, err := b.svc.Subscribe(t.Context(), caller, service.SubscribeParams{TopicARN: topic, Protocol: "http",
			Endpoint: "http://hooks.example.com/", ReturnSubscriptionArn: true})
		require.NoError(t, err)
		require.NoError(t, b.svc.SetSubscriptionAttributes(t.Context(), caller, arn, "DeliveryPolicy",
			`{"healthyRetryPolicy":{"numRetries":5,"minDelayTarget":2,"maxDelayTarget":9}}`))
		require.NoError(t, b.svc.SetSubscriptionAttributes(t.Context(), caller, arn, "RawMessageDelivery", "true"))
		attrs, err := b.svc.GetSubscriptionAttributes(t.Context(), caller, arn)
		require.NoError(t, err)
		require.Equal(t, "true", attrs["RawMessageDelivery"])
		require.JSONEq(t, `{"healthyRetryPolicy":{"minDelayTarget":2,"maxDelayTarget":9,"numRetries":5,"numMaxDelayRetries":0,
			"numNoDelayRetries":0,"numMinDelayRetries":0,"backoffFunction":"linear"},"sicklyRetryPolicy":null,"throttlePolicy":null,
			"guaranteed":false}`, attrs["EffectiveDeliveryPolicy"])
		require.Equal(t, sluice.EInvalid, sluice.ErrorCode(b.svc.SetSubscriptionAttributes(t.Context(), caller, arn, "RawMessageDelivery", "maybe")))
		require.Equal(t, sluice.EInvalid, sluice.ErrorCode(b.svc.SetSubscriptionAttributes(t.Context(), caller, arn, "Endpoint", "x")))
		require.Equal(t, sluice.ENotFound, sluice.ErrorCode(b.svc.SetSubscriptionAttributes(t.Context(), caller, arn+"0", "RawMessageDelivery", "true")))
	})

	t.Run("TopicTags", func(t *testing.T) {
		t.Parallel()
		b, topic := snsSetup(t)
		require.NoError(t, b.svc.TagTopic(t.Context(), caller, topic, []sluice.Tag{{Key: "b", Value: "2"}, {Key: "a", Value: "1"}}))
		require.NoError(t, b.svc.UntagTopic(t.Context(), caller, topic, []string{"b"}))
		tags, err := b.svc.TopicTags(t.Context(), caller, topic)
		require.NoError(t, err)
		require.Equal(t, []sluice.Tag{{Key: "a", Value: "1"}}, tags)
		_, err = b.svc.TopicTags(t.Context(), caller, topic+"x")
		require.Equal(t, sluice.ENotFound, sluice.ErrorCode(err))
	})
}
