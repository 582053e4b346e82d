package storetest

import (
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
)

// webhook is a V1 webhook created at second sec.
func webhook(name string, sec int) *sluice.Webhook {
	return &sluice.Webhook{Name: name, ARN: factoryScope.ARN(sluice.WebhookARN, name),
		TargetPipeline: "app", TargetAction: "Checkout",
		Filters:        []sluice.WebhookFilter{{JSONPath: "$.ref", MatchEquals: "refs/heads/{Branch}"}, {JSONPath: "$.after"}},
		Authentication: sluice.WebhookGitHubHMAC, SecretToken: "secret-of-" + name, Token: "token-of-" + name, Created: at(sec)}
}

// testWebhooks checks sluice.WebhookStore.
func testWebhooks(t *testing.T, open func(*testing.T) sluice.Store) {
	t.Run("PutGetDelete", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		w := webhook("push", 1)
		require.NoError(t, f.s.PutWebhook(f.ctx, sluice.PutWebhookParams{Webhook: w, Tags: map[string]string{"team": "a"}}))
		got, err := f.s.GetWebhook(f.ctx, "push")
		require.NoError(t, err)
		require.Equal(t, webhook("push", 1), got)
		got, err = f.s.WebhookByToken(f.ctx, "token-of-push")
		require.NoError(t, err)
		require.Equal(t, webhook("push", 1), got)
		tags, err := f.s.ListTags(f.ctx, w.ARN)
		require.NoError(t, err)
		require.Equal(t, map[string]string{"team": "a"}, tags)

		require.NoError(t, f.s.DeleteWebhook(f.ctx, "push"))
		_, err = f.s.GetWebhook(f.ctx, "push")
		requireCode(t, err, sluice.ENotFound, "Webhook")
		_, err = f.s.WebhookByToken(f.ctx, "token-of-push")
		requireCode(t, err, sluice.ENotFound, "Webhook")
		tags, err = f.s.ListTags(f.ctx, w.ARN)
		require.NoError(t, err)
		require.Empty(t, tags, "deleting a webhook deletes its tags")
		requireCode(t, f.s.DeleteWebhook(f.ctx, "push"), sluice.ENotFound, "Webhook")
	})

	t.Run("PutUpdatesKeepingTokenAndOutcome", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		require.NoError(t, f.s.PutWebhook(f.ctx, sluice.PutWebhookParams{Webhook: webhook("push", 1)}))
		require.NoError(t, f.s.SetWebhookOutcome(f.ctx, &sluice.Webhook{Name: "push", LastTriggered: at(5)}))
		again := &sluice.Webhook{Name: "push", ARN: "arn:other", TargetPipeline: "other", TargetAction: "Src",
			Authentication: sluice.WebhookIP, AllowedIPRange: "10.0.0.0/8", Token: "new-token", Created: at(9)}
		require.NoError(t, f.s.PutWebhook(f.ctx, sluice.PutWebhookParams{Webhook: again}))
		want := &sluice.Webhook{Name: "push", ARN: webhook("push", 1).ARN, TargetPipeline: "other", TargetAction: "Src",
			Authentication: sluice.WebhookIP, AllowedIPRange: "10.0.0.0/8", Token: "token-of-push", LastTriggered: at(5), Created: at(1)}
		require.Equal(t, want, again, "what an update keeps is written back")
		got, err := f.s.GetWebhook(f.ctx, "push")
		require.NoError(t, err)
		require.Equal(t, want, got)
	})

	t.Run("Outcome", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		require.NoError(t, f.s.PutWebhook(f.ctx, sluice.PutWebhookParams{Webhook: webhook("push", 1)}))
		require.NoError(t, f.s.SetWebhookOutcome(f.ctx, &sluice.Webhook{Name: "push", LastTriggered: at(5)}))
		require.NoError(t, f.s.SetWebhookOutcome(f.ctx, &sluice.Webhook{Name: "push", ErrorCode: "PipelineNotFound", ErrorMessage: "gone"}))
		got, err := f.s.GetWebhook(f.ctx, "push")
		require.NoError(t, err)
		require.Equal(t, at(5), got.LastTriggered, "a failed start keeps the last trigger time")
		require.Equal(t, "PipelineNotFound", got.ErrorCode)
		require.Equal(t, "gone", got.ErrorMessage)
		requireCode(t, f.s.SetWebhookOutcome(f.ctx, &sluice.Webhook{Name: "nope"}), sluice.ENotFound, "Webhook")
	})

	t.Run("Limit", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		require.NoError(t, f.s.PutWebhook(f.ctx, sluice.PutWebhookParams{Webhook: webhook("a", 1), Max: 2}))
		require.NoError(t, f.s.PutWebhook(f.ctx, sluice.PutWebhookParams{Webhook: webhook("b", 1), Max: 2}))
		requireCode(t, f.s.PutWebhook(f.ctx, sluice.PutWebhookParams{Webhook: webhook("c", 1), Max: 2}), sluice.ELimit, "Webhooks")
		require.NoError(t, f.s.PutWebhook(f.ctx, sluice.PutWebhookParams{Webhook: webhook("b", 2), Max: 2}), "an update is no new webhook")
		_, err := f.s.GetWebhook(f.ctx, "c")
		requireCode(t, err, sluice.ENotFound, "Webhook")
	})

	t.Run("ListPages", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		for _, n := range []string{"c", "a", "b"} {
			require.NoError(t, f.s.PutWebhook(f.ctx, sluice.PutWebhookParams{Webhook: webhook(n, 1)}))
		}
		page, next, err := f.s.ListWebhooks(f.ctx, sluice.Page{Limit: 2})
		require.NoError(t, err)
		require.Equal(t, []*sluice.Webhook{webhook("a", 1), webhook("b", 1)}, page)
		require.NotEmpty(t, next)
		page, next, err = f.s.ListWebhooks(f.ctx, sluice.Page{Token: next, Limit: 2})
		require.NoError(t, err)
		require.Equal(t, []*sluice.Webhook{webhook("c", 1)}, page)
		require.Empty(t, next)
		_, _, err = f.s.ListWebhooks(f.ctx, sluice.Page{Token: "bogus"})
		requireCode(t, err, sluice.EInvalid, "NextToken")
	})
}
