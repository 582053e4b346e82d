package node_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/config"
	"sluice/delivery/deliverytest"
	"sluice/node/nodetest"
	"sluice/service"
)

// waitLog waits until target's log holds n deliveries, all Delivered, and returns them.
func waitLog(t *testing.T, b *nodetest.Bundle, target string, n int) []*sluice.DeliveryRecord {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		log, _, err := b.Node.DB.ListDeliveries(t.Context(), sluice.DeliveryFilter{Target: target})
		require.NoError(t, err)
		done := len(log) >= n
		for _, r := range log {
			require.NotEqual(t, sluice.DeliveryFailed, r.Delivery.Status, "%s: %s", target, r.Delivery.LastError)
			done = done && r.Delivery.Status == sluice.DeliveryDelivered
		}
		if done {
			return log
		}
		require.True(t, time.Now().Before(deadline), "%s: %d of %d deliveries delivered", target, len(log), n)
		time.Sleep(50 * time.Millisecond)
	}
}

// within receives from ch, failing after a bound only a hang reaches.
func within[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(2 * time.Minute):
		t.Fatalf("waited in vain for %s", what)
		panic("unreachable")
	}
}

var confirmLink = regexp.MustCompile(`https?://\S+/confirmation\.html\?\S+`)

// TestNotificationRuleDeliversFailures is issue 11's end to end: a notification rule for
// failed executions of a pipeline, whose targets are a topic (an http subscriber that
// validates signatures and confirms by SubscribeURL, and a mailbox on a real SMTP server
// confirmed by its link) and a Slack channel, delivers once per failure to all three.
func TestNotificationRuleDeliversFailures(t *testing.T) {
	t.Parallel()
	smtpd := deliverytest.StartSMTPD(t)
	b := nodetest.SetupWith(t, func(c *config.Server) {
		c.AllowLocalDestinations = true
		c.SMTPURL, c.SMTPFrom = "smtp://"+smtpd.Addr, "Sluice <sluice@example.com>"
	})
	ctx, core := t.Context(), b.Node.API.Service
	root := sluice.Caller{Principal: "arn:aws:iam::000000000000:root", AccessKeyID: nodetest.KeyID}

	topic, err := core.CreateTopic(ctx, root, "failures", map[string]string{"SignatureVersion": "2"}, nil)
	require.NoError(t, err)
	recv := nodetest.NewSNSReceiver(t, http.DefaultClient)
	httpSub, err := core.Subscribe(ctx, root, service.SubscribeParams{TopicARN: topic, Protocol: "http", Endpoint: recv.URL, ReturnSubscriptionArn: true})
	require.NoError(t, err)
	within(t, recv.Confirmations, "the http subscription's confirmation")
	mailSub, err := core.Subscribe(ctx, root, service.SubscribeParams{TopicARN: topic, Protocol: "email", Endpoint: "ops@example.com", ReturnSubscriptionArn: true})
	require.NoError(t, err)
	waitLog(t, b, mailSub, 1)
	mails := smtpd.Mails(t)
	require.Len(t, mails, 1)
	link := confirmLink.FindString(deliverytest.Text(t, mails[0]))
	require.NotEmpty(t, link, "the confirmation mail links its page")
	resp, err := http.Get(link)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	require.Equal(t, http.StatusOK, resp.StatusCode)

	t.Cleanup(func() { // what a failure needs to be understood
		if !t.Failed() {
			return
		}
		for _, target := range []string{httpSub, mailSub} {
			log, _, _ := b.Node.DB.ListDeliveries(context.Background(), sluice.DeliveryFilter{Target: target})
			for _, r := range log {
				t.Logf("%s: %s %s %s attempts=%d err=%q", target, r.Delivery.ID, r.Delivery.Type, r.Delivery.Status, r.Delivery.Attempts, r.Delivery.LastError)
			}
		}
	})
	slack := nodetest.NewSlackReceiver(t)
	ch, err := core.CreateChatChannel(ctx, root, service.CreateChatChannelParams{Name: "ops", Kind: sluice.ProtocolSlack, URL: slack.URL})
	require.NoError(t, err)

	// The first execution waits until the rule exists (the gate answers "open"; unlike
	// nodetest.Gate, a gate that does not answer is closed): every failure is after it.
	var open atomic.Bool
	gate := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if open.Load() {
			_, _ = io.WriteString(w, "open")
		}
	}))
	t.Cleanup(gate.Close)
	wait := `until [ "$(curl -s '` + gate.URL + `')" = open ]; do sleep 0.05; done`
	first := b.Create(t, nodetest.Pipeline("web", nodetest.Stage("Build", nodetest.CmdAction("Compile", wait, "exit 3"))))
	_, err = core.CreateNotificationRule(ctx, root, service.CreateNotificationRuleParams{Name: "web-failures",
		Resource: "arn:aws:codepipeline:us-east-1:000000000000:web", DetailType: "FULL",
		EventTypeIDs: []string{"codepipeline-pipeline-pipeline-execution-failed"},
		Targets:      []service.NotificationTargetIn{{Type: "SNS", Address: topic}, {Type: "AWSChatbotSlack", Address: ch.ARN}}})
	require.NoError(t, err)

	open.Store(true)
	b.WaitStatus(t, "web", first, "Failed")
	out, err := b.CP.StartPipelineExecution(ctx, &codepipeline.StartPipelineExecutionInput{Name: aws.String("web")})
	require.NoError(t, err)
	second := aws.ToString(out.PipelineExecutionId)
	b.WaitStatus(t, "web", second, "Failed")
	failed := []string{first, second}

	seen := map[string]bool{}
	for range 2 {
		m := within(t, recv.Notifications, "a notification")
		require.False(t, seen[m.MessageID], "one message per failure")
		seen[m.MessageID] = true
		require.Equal(t, httpSub, m.SubscriptionARN)
		require.Contains(t, m.Message, `"pipeline":"web"`)
	}
	for range 2 {
		post := within(t, slack.Posts, "a Slack post")
		require.Contains(t, post["text"], "web")
	}
	require.Len(t, waitLog(t, b, httpSub, 3), 3, "the confirmation and one notification per failure")
	require.Len(t, waitLog(t, b, mailSub, 3), 3, "the confirmation and one mail per failure")
	require.Len(t, waitLog(t, b, ch.ARN, 2), 2, "one post per failure")
	require.Empty(t, recv.Notifications, "no third notification")
	require.Empty(t, slack.Posts, "no third post")
	mails = smtpd.Mails(t)
	require.Len(t, mails, 3)
	require.Empty(t, recv.Invalid, "every message validated")
	var texts []string
	for _, m := range mails {
		texts = append(texts, deliverytest.Text(t, m))
	}
	for _, exec := range failed {
		n := 0
		for _, text := range texts {
			if strings.Contains(text, exec) {
				n++
			}
		}
		require.Equal(t, 1, n, "one mail names execution %s", exec)
	}
}
