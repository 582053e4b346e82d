package storetest

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
)

func delivery(conn, id, result string, sec int) *sluice.WebhookDelivery {
	return &sluice.WebhookDelivery{DeliveryID: id, ConnectionARN: conn, Event: "push", Repository: "acme/app",
		Ref: "refs/heads/main", Result: result, Received: at(sec)}
}

// testWebhookDeliveries checks sluice.WebhookDeliveryStore.
func testWebhookDeliveries(t *testing.T, open func(*testing.T) sluice.Store) {
	t.Run("ReceiveFinishList", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		arn := connection("a").ARN
		d := delivery(arn, "d-1", sluice.DeliveryReceived, 1)
		require.NoError(t, f.s.AddWebhookDelivery(f.ctx, d, 0))
		require.NotZero(t, d.Seq)
		d.Result, d.Reason = sluice.DeliveryStarted, "push filter 1 matches"
		d.Executions = []sluice.StartedExecution{{Pipeline: "p", ExecutionID: "e-1"}}
		require.NoError(t, f.s.FinishWebhookDelivery(f.ctx, d))
		requireCode(t, f.s.FinishWebhookDelivery(f.ctx, d), sluice.EConflict, "WebhookDelivery")

		refused := delivery(arn, "d-2", sluice.DeliveryRefused, 2)
		refused.Reason = "signature does not match"
		require.NoError(t, f.s.AddWebhookDelivery(f.ctx, refused, 0))
		require.Greater(t, refused.Seq, d.Seq)
		other := delivery(connection("b").ARN, "d-1", sluice.DeliveryReceived, 3)
		require.NoError(t, f.s.AddWebhookDelivery(f.ctx, other, 0), "ids are per connection")

		got, next, err := f.s.ListWebhookDeliveries(f.ctx, arn, sluice.Page{})
		require.NoError(t, err)
		require.Empty(t, next)
		require.Equal(t, []*sluice.WebhookDelivery{refused, d}, got, "newest first")
	})

	t.Run("ReplaysAreRefused", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		arn := connection("a").ARN
		// A refused delivery does not take its id: a forged request cannot block the real one.
		require.NoError(t, f.s.AddWebhookDelivery(f.ctx, delivery(arn, "d-1", sluice.DeliveryRefused, 1), 0))
		first := delivery(arn, "d-1", sluice.DeliveryReceived, 2)
		require.NoError(t, f.s.AddWebhookDelivery(f.ctx, first, 0))
		requireCode(t, f.s.AddWebhookDelivery(f.ctx, delivery(arn, "d-1", sluice.DeliveryReceived, 3), 0),
			sluice.EAlreadyExists, "WebhookDelivery")
		first.Result = sluice.DeliveryIgnored
		require.NoError(t, f.s.FinishWebhookDelivery(f.ctx, first))
		requireCode(t, f.s.AddWebhookDelivery(f.ctx, delivery(arn, "d-1", sluice.DeliveryReceived, 4), 0),
			sluice.EAlreadyExists, "WebhookDelivery")
		require.NoError(t, f.s.AddWebhookDelivery(f.ctx, delivery(arn, "d-1", sluice.DeliveryDuplicate, 5), 0),
			"the duplicate itself is logged")
		got, _, err := f.s.ListWebhookDeliveries(f.ctx, arn, sluice.Page{})
		require.NoError(t, err)
		require.Len(t, got, 3)
	})

	t.Run("ReplayedBodiesAreRefused", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		arn := connection("a").ARN
		first := delivery(arn, "d-1", sluice.DeliveryReceived, 1)
		first.BodyDigest = "abc"
		require.NoError(t, f.s.AddWebhookDelivery(f.ctx, first, 0))
		replay := delivery(arn, "d-forged", sluice.DeliveryReceived, 2)
		replay.BodyDigest = "abc"
		requireCode(t, f.s.AddWebhookDelivery(f.ctx, replay, 0), sluice.EAlreadyExists, "WebhookDelivery")
		other := delivery(arn, "d-2", sluice.DeliveryReceived, 3)
		other.BodyDigest = "def"
		require.NoError(t, f.s.AddWebhookDelivery(f.ctx, other, 0))
		require.NoError(t, f.s.AddWebhookDelivery(f.ctx, delivery(arn, "d-3", sluice.DeliveryReceived, 4), 0),
			"no digest matches no digest")
	})

	t.Run("DuplicatesDoNotCrowdOutAccepted", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		arn := connection("a").ARN
		require.NoError(t, f.s.AddWebhookDelivery(f.ctx, delivery(arn, "d-1", sluice.DeliveryReceived, 1), 1))
		for i := range 3 {
			require.NoError(t, f.s.AddWebhookDelivery(f.ctx, delivery(arn, "d-1", sluice.DeliveryDuplicate, 2+i), 1))
		}
		requireCode(t, f.s.AddWebhookDelivery(f.ctx, delivery(arn, "d-1", sluice.DeliveryReceived, 9), 1),
			sluice.EAlreadyExists, "WebhookDelivery")
	})

	t.Run("InterruptedReleaseTheirIds", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		arn := connection("a").ARN
		cut := delivery(arn, "d-1", sluice.DeliveryReceived, 1)
		require.NoError(t, f.s.AddWebhookDelivery(f.ctx, cut, 0))
		done := delivery(arn, "d-2", sluice.DeliveryReceived, 2)
		require.NoError(t, f.s.AddWebhookDelivery(f.ctx, done, 0))
		done.Result = sluice.DeliveryStarted
		require.NoError(t, f.s.FinishWebhookDelivery(f.ctx, done))

		late := delivery(arn, "d-3", sluice.DeliveryReceived, 5)
		require.NoError(t, f.s.AddWebhookDelivery(f.ctx, late, 0))
		n, err := f.s.InterruptWebhookDeliveries(f.ctx, at(5))
		require.NoError(t, err)
		require.Equal(t, 1, n, "only the unfinished delivery received before the bound")
		got, _, err := f.s.ListWebhookDeliveries(f.ctx, arn, sluice.Page{})
		require.NoError(t, err)
		require.Equal(t, sluice.DeliveryInterrupted, got[2].Result)
		require.Equal(t, sluice.DeliveryReceived, got[0].Result, "one received at the bound is still being handled")
		require.NoError(t, f.s.AddWebhookDelivery(f.ctx, delivery(arn, "d-1", sluice.DeliveryReceived, 3), 0),
			"the host's redelivery of an interrupted delivery is taken")
		requireCode(t, f.s.AddWebhookDelivery(f.ctx, delivery(arn, "d-2", sluice.DeliveryReceived, 4), 0),
			sluice.EAlreadyExists, "WebhookDelivery")
	})

	t.Run("ConcurrentCopiesReceiveOnce", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		arn := connection("a").ARN
		var (
			wg   sync.WaitGroup
			errs = make([]error, 8)
		)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = f.s.AddWebhookDelivery(f.ctx, delivery(arn, "d-1", sluice.DeliveryReceived, 1), 0)
			}()
		}
		wg.Wait()
		received := 0
		for _, err := range errs {
			if err == nil {
				received++
			} else {
				requireCode(t, err, sluice.EAlreadyExists, "WebhookDelivery")
			}
		}
		require.Equal(t, 1, received)
	})

	t.Run("KeepsTheNewestOfEachKind", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		arn := connection("a").ARN
		for i := range 4 {
			require.NoError(t, f.s.AddWebhookDelivery(f.ctx, delivery(arn, f.id("ok"), sluice.DeliveryReceived, i), 3))
		}
		for i := range 5 {
			require.NoError(t, f.s.AddWebhookDelivery(f.ctx, delivery(arn, f.id("bad"), sluice.DeliveryRefused, 10+i), 3))
		}
		got, _, err := f.s.ListWebhookDeliveries(f.ctx, arn, sluice.Page{})
		require.NoError(t, err)
		var ids []string
		for _, d := range got {
			ids = append(ids, d.DeliveryID)
		}
		require.Equal(t, []string{"bad-0009", "bad-0008", "bad-0007", "ok-0004", "ok-0003", "ok-0002"}, ids,
			"refusals do not push accepted deliveries out")
	})

	t.Run("Pages", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		arn := connection("a").ARN
		for i := range 5 {
			require.NoError(t, f.s.AddWebhookDelivery(f.ctx, delivery(arn, f.id("d"), sluice.DeliveryReceived, i), 0))
		}
		var ids []string
		page := sluice.Page{Limit: 2}
		for {
			got, next, err := f.s.ListWebhookDeliveries(f.ctx, arn, page)
			require.NoError(t, err)
			for _, d := range got {
				ids = append(ids, d.DeliveryID)
			}
			if next == "" {
				break
			}
			page.Token = next
		}
		require.Equal(t, []string{"d-0005", "d-0004", "d-0003", "d-0002", "d-0001"}, ids)
		_, _, err := f.s.ListWebhookDeliveries(f.ctx, arn, sluice.Page{Token: "bogus"})
		requireCode(t, err, sluice.EInvalid, "NextToken")
	})

	t.Run("DeleteConnectionDropsItsDeliveries", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		c := connection("a")
		require.NoError(t, f.s.CreateConnection(f.ctx, c))
		require.NoError(t, f.s.AddWebhookDelivery(f.ctx, delivery(c.ARN, "d-1", sluice.DeliveryReceived, 1), 0))
		require.NoError(t, f.s.DeleteConnection(f.ctx, c.ARN))
		got, _, err := f.s.ListWebhookDeliveries(f.ctx, c.ARN, sluice.Page{})
		require.NoError(t, err)
		require.Empty(t, got)
		require.NoError(t, f.s.CreateConnection(f.ctx, c))
		require.NoError(t, f.s.AddWebhookDelivery(f.ctx, delivery(c.ARN, "d-1", sluice.DeliveryReceived, 2), 0),
			"a connection made again starts a new log")
	})
}
