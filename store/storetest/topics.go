package storetest

import (
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
)

func topic(name string, sec int) *sluice.Topic {
	return &sluice.Topic{ARN: factoryScope.ARN(sluice.TopicARN, name), Name: name,
		Attributes: map[string]string{"DisplayName": "d " + name}, Created: at(sec)}
}

func topicARN(t *sluice.Topic) string { return t.ARN }

func subscription(topicARN, id, protocol, endpoint string, sec int) *sluice.Subscription {
	return &sluice.Subscription{ARN: topicARN + ":" + id, TopicARN: topicARN, Protocol: protocol, Endpoint: endpoint,
		Owner: factoryScope.Account, Token: "token-" + id, TokenExpires: at(sec + 100),
		Attributes: map[string]string{"RawMessageDelivery": "false"}, Created: at(sec)}
}

func subscriptionARN(s *sluice.Subscription) string { return s.ARN }

// testTopics checks sluice.TopicStore's topics.
func testTopics(t *testing.T, open func(*testing.T) sluice.Store) {
	t.Run("CreateGetSetAttributes", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		tp := topic("alerts", 1)
		require.NoError(t, f.s.CreateTopic(f.ctx, tp))
		got, err := f.s.GetTopic(f.ctx, tp.ARN)
		require.NoError(t, err)
		require.Equal(t, tp, got)
		requireCode(t, f.s.CreateTopic(f.ctx, topic("alerts", 2)), sluice.EAlreadyExists, "Topic")

		attrs := map[string]string{"DisplayName": "x", "SignatureVersion": "2"}
		require.NoError(t, f.s.SetTopicAttributes(f.ctx, tp.ARN, attrs))
		got, err = f.s.GetTopic(f.ctx, tp.ARN)
		require.NoError(t, err)
		require.Equal(t, attrs, got.Attributes)
		requireCode(t, f.s.SetTopicAttributes(f.ctx, topic("none", 1).ARN, attrs), sluice.ENotFound, "Topic")
		_, err = f.s.GetTopic(f.ctx, topic("none", 1).ARN)
		requireCode(t, err, sluice.ENotFound, "Topic")
	})

	t.Run("ListPages", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		for i, name := range []string{"c", "a", "b"} {
			require.NoError(t, f.s.CreateTopic(f.ctx, topic(name, i+1)))
		}
		page1, next, err := f.s.ListTopics(f.ctx, sluice.Page{Limit: 2})
		require.NoError(t, err)
		require.Equal(t, []string{topic("a", 0).ARN, topic("b", 0).ARN}, ids(page1, topicARN))
		page2, next, err := f.s.ListTopics(f.ctx, sluice.Page{Limit: 2, Token: next})
		require.NoError(t, err)
		require.Empty(t, next)
		require.Equal(t, []string{topic("c", 0).ARN}, ids(page2, topicARN))
		_, _, err = f.s.ListTopics(f.ctx, sluice.Page{Token: "bogus"})
		requireCode(t, err, sluice.EInvalid, "NextToken")
	})

	t.Run("DeleteTakesSubscriptionsAndTags", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		tp := topic("gone", 1)
		require.NoError(t, f.s.CreateTopic(f.ctx, tp))
		s := subscription(tp.ARN, "s1", sluice.ProtocolHTTPS, "https://example.com/hook", 2)
		require.NoError(t, f.s.CreateSubscription(f.ctx, s))
		require.NoError(t, f.s.TagResource(f.ctx, tp.ARN, map[string]string{"k": "v"}))
		require.NoError(t, f.s.DeleteTopic(f.ctx, tp.ARN))
		requireCode(t, f.s.DeleteTopic(f.ctx, tp.ARN), sluice.ENotFound, "Topic")
		_, err := f.s.GetSubscription(f.ctx, s.ARN)
		requireCode(t, err, sluice.ENotFound, "Subscription")
		tags, err := f.s.ListTags(f.ctx, tp.ARN)
		require.NoError(t, err)
		require.Empty(t, tags)
		require.NoError(t, f.s.CreateTopic(f.ctx, topic("gone", 3)), "a deleted topic's name is free again")
	})
}

// testSubscriptions checks sluice.TopicStore's subscriptions.
func testSubscriptions(t *testing.T, open func(*testing.T) sluice.Store) {
	t.Run("CreateGetByEndpointUpdate", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		tp := topic("t", 1)
		require.NoError(t, f.s.CreateTopic(f.ctx, tp))
		s := subscription(tp.ARN, "s1", sluice.ProtocolHTTP, "http://example.com/a?b=c", 2)
		require.NoError(t, f.s.CreateSubscription(f.ctx, s))
		got, err := f.s.GetSubscription(f.ctx, s.ARN)
		require.NoError(t, err)
		require.Equal(t, s, got)
		got, err = f.s.SubscriptionByEndpoint(f.ctx, tp.ARN, sluice.ProtocolHTTP, s.Endpoint)
		require.NoError(t, err)
		require.Equal(t, s, got)
		_, err = f.s.SubscriptionByEndpoint(f.ctx, tp.ARN, sluice.ProtocolHTTPS, s.Endpoint)
		requireCode(t, err, sluice.ENotFound, "Subscription")

		requireCode(t, f.s.CreateSubscription(f.ctx, subscription(tp.ARN, "s2", sluice.ProtocolHTTP, s.Endpoint, 3)),
			sluice.EAlreadyExists, "Subscription")
		requireCode(t, f.s.CreateSubscription(f.ctx, subscription(topic("none", 1).ARN, "s3", sluice.ProtocolHTTP, s.Endpoint, 3)),
			sluice.ENotFound, "Topic")

		s.Confirmed, s.Token, s.TokenExpires = true, "t2", at(50)
		s.Attributes = map[string]string{"RawMessageDelivery": "true"}
		require.NoError(t, f.s.UpdateSubscription(f.ctx, s))
		got, err = f.s.GetSubscription(f.ctx, s.ARN)
		require.NoError(t, err)
		require.Equal(t, s, got)
		requireCode(t, f.s.UpdateSubscription(f.ctx, subscription(tp.ARN, "s9", "http", "x", 1)), sluice.ENotFound, "Subscription")

		require.NoError(t, f.s.DeleteSubscription(f.ctx, s.ARN))
		requireCode(t, f.s.DeleteSubscription(f.ctx, s.ARN), sluice.ENotFound, "Subscription")
	})

	t.Run("ConfirmWithValidToken", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		tp := topic("t", 1)
		require.NoError(t, f.s.CreateTopic(f.ctx, tp))
		s := subscription(tp.ARN, "s1", sluice.ProtocolHTTPS, "https://example.com/", 2) // token expires at(102)
		require.NoError(t, f.s.CreateSubscription(f.ctx, s))

		_, err := f.s.ConfirmSubscription(f.ctx, tp.ARN, "wrong", at(3))
		requireCode(t, err, sluice.ENotFound, "Subscription")
		_, err = f.s.ConfirmSubscription(f.ctx, tp.ARN, s.Token, at(102))
		requireCode(t, err, sluice.ENotFound, "Subscription")
		_, err = f.s.ConfirmSubscription(f.ctx, topic("other", 1).ARN, s.Token, at(3))
		requireCode(t, err, sluice.ENotFound, "Subscription")

		got, err := f.s.ConfirmSubscription(f.ctx, tp.ARN, s.Token, at(3))
		require.NoError(t, err)
		s.Confirmed = true
		require.Equal(t, s, got)
		got, err = f.s.ConfirmSubscription(f.ctx, tp.ARN, s.Token, at(500))
		require.NoError(t, err, "a confirmed subscription confirms again with its token after it expired")
		require.Equal(t, s, got)
	})

	t.Run("ListCountConfirmedPurge", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		a, b := topic("a", 1), topic("b", 2)
		require.NoError(t, f.s.CreateTopic(f.ctx, a))
		require.NoError(t, f.s.CreateTopic(f.ctx, b))
		a1 := subscription(a.ARN, "1", sluice.ProtocolHTTP, "http://example.com/1", 3)
		a2 := subscription(a.ARN, "2", sluice.ProtocolEmail, "x@example.com", 4)
		a3 := subscription(a.ARN, "3", sluice.ProtocolEmailJSON, "y@example.com", 400)
		b1 := subscription(b.ARN, "1", sluice.ProtocolHTTPS, "https://example.com/1", 5)
		a1.Confirmed, b1.Confirmed = true, true
		for _, s := range []*sluice.Subscription{a3, b1, a2, a1} {
			require.NoError(t, f.s.CreateSubscription(f.ctx, s))
		}

		page1, next, err := f.s.ListSubscriptions(f.ctx, sluice.SubscriptionFilter{Page: sluice.Page{Limit: 2}})
		require.NoError(t, err)
		require.Equal(t, []string{a1.ARN, a2.ARN}, ids(page1, subscriptionARN))
		page2, next, err := f.s.ListSubscriptions(f.ctx, sluice.SubscriptionFilter{Page: sluice.Page{Limit: 2, Token: next}})
		require.NoError(t, err)
		require.Empty(t, next)
		require.Equal(t, []string{a3.ARN, b1.ARN}, ids(page2, subscriptionARN))

		ofA, next, err := f.s.ListSubscriptions(f.ctx, sluice.SubscriptionFilter{TopicARN: a.ARN, Page: sluice.Page{Limit: 2}})
		require.NoError(t, err)
		require.Equal(t, []string{a1.ARN, a2.ARN}, ids(ofA, subscriptionARN))
		_, _, err = f.s.ListSubscriptions(f.ctx, sluice.SubscriptionFilter{TopicARN: b.ARN, Page: sluice.Page{Token: next}})
		requireCode(t, err, sluice.EInvalid, "NextToken")

		confirmed, err := f.s.ConfirmedSubscriptions(f.ctx, a.ARN)
		require.NoError(t, err)
		require.Equal(t, []string{a1.ARN}, ids(confirmed, subscriptionARN))
		nc, np, err := f.s.CountSubscriptions(f.ctx, a.ARN)
		require.NoError(t, err)
		require.Equal(t, []int{1, 2}, []int{nc, np})
		nc, np, err = f.s.CountSubscriptions(f.ctx, topic("none", 1).ARN)
		require.NoError(t, err)
		require.Equal(t, []int{0, 0}, []int{nc, np})

		n, err := f.s.DeleteUnconfirmed(f.ctx, at(200)) // a2's token expired at(104); a3's lives to at(500)
		require.NoError(t, err)
		require.Equal(t, 1, n)
		left, _, err := f.s.ListSubscriptions(f.ctx, sluice.SubscriptionFilter{TopicARN: a.ARN})
		require.NoError(t, err)
		require.Equal(t, []string{a1.ARN, a3.ARN}, ids(left, subscriptionARN))
	})
}
