package service_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
)

func TestTopics(t *testing.T) {
	t.Parallel()

	t.Run("CreateIsIdempotentByName", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		arn, err := b.svc.CreateTopic(t.Context(), caller, "alerts", map[string]string{"DisplayName": "A"},
			[]sluice.Tag{{Key: "team", Value: "ops"}})
		require.NoError(t, err)
		require.Equal(t, "arn:aws:sns:eu-west-1:123456789012:alerts", arn)
		again, err := b.svc.CreateTopic(t.Context(), caller, "alerts", nil, nil)
		require.NoError(t, err)
		require.Equal(t, arn, again)
		_, err = b.svc.CreateTopic(t.Context(), caller, "alerts", map[string]string{"DisplayName": "B"}, nil)
		require.ErrorContains(t, err, "different attributes")
		tags, err := b.db.ListTags(t.Context(), arn)
		require.NoError(t, err)
		require.Equal(t, map[string]string{"team": "ops"}, tags)
	})

	t.Run("Attributes", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		arn, err := b.svc.CreateTopic(t.Context(), caller, "t", nil, nil)
		require.NoError(t, err)
		require.NoError(t, b.svc.SetTopicAttributes(t.Context(), caller, arn, "SignatureVersion", "2"))
		require.NoError(t, b.svc.SetTopicAttributes(t.Context(), caller, arn, "DeliveryPolicy",
			`{"http":{"defaultHealthyRetryPolicy":{"numRetries":5,"minDelayTarget":1,"maxDelayTarget":30}}}`))
		attrs, err := b.svc.GetTopicAttributes(t.Context(), caller, arn)
		require.NoError(t, err)
		require.Equal(t, "2", attrs["SignatureVersion"])
		require.Equal(t, arn, attrs["TopicArn"])
		require.Equal(t, "123456789012", attrs["Owner"])
		require.Equal(t, "0", attrs["SubscriptionsConfirmed"])
		require.Contains(t, attrs["Policy"], `"AWS:SourceOwner":"123456789012"`)
		require.JSONEq(t, `{"http":{"defaultHealthyRetryPolicy":{"minDelayTarget":1,"maxDelayTarget":30,"numRetries":5,
			"numMaxDelayRetries":0,"numNoDelayRetries":0,"numMinDelayRetries":0,"backoffFunction":"linear"},
			"disableSubscriptionOverrides":false,"defaultRequestPolicy":{"headerContentType":"text/plain; charset=UTF-8"}}}`,
			attrs["EffectiveDeliveryPolicy"])

		for name, value := range map[string]string{"SignatureVersion": "3", "Nope": "x", "FifoTopic": "true",
			"DeliveryPolicy": `{"http":{"defaultHealthyRetryPolicy":{"numRetries":500}}}`} {
			err := b.svc.SetTopicAttributes(t.Context(), caller, arn, name, value)
			require.Equal(t, sluice.EInvalid, sluice.ErrorCode(err), name)
		}
		require.Equal(t, sluice.ENotFound, sluice.ErrorCode(b.svc.SetTopicAttributes(t.Context(), caller, arn+"x", "DisplayName", "x")))
	})

	t.Run("ListAndDelete", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		for _, n := range []string{"b", "a"} {
			_, err := b.svc.CreateTopic(t.Context(), caller, n, nil, nil)
			require.NoError(t, err)
		}
		arns, next, err := b.svc.ListTopics(t.Context(), caller, "")
		require.NoError(t, err)
		require.Empty(t, next)
		require.Equal(t, []string{"arn:aws:sns:eu-west-1:123456789012:a", "arn:aws:sns:eu-west-1:123456789012:b"}, arns)
		require.NoError(t, b.svc.DeleteTopic(t.Context(), caller, arns[0]))
		require.NoError(t, b.svc.DeleteTopic(t.Context(), caller, arns[0]), "deleting an absent topic succeeds, as on SNS")
		_, err = b.svc.CreateTopic(t.Context(), caller, "bad name", nil, nil)
		require.Equal(t, sluice.EInvalid, sluice.ErrorCode(err))
	})
}
