package node_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/config"
	"sluice/delivery/deliverytest"
	"sluice/node/nodetest"
)

// TestNotificationRuleOnFailure: a FULL rule on a pipeline's failed executions, made with the
// AWS CLI, with an SNS topic and a Slack channel as targets, sends exactly one notice per
// failure, for two failures, to each of the three receivers: an http subscriber that
// validates signatures and confirmed by its SubscribeURL, a mailbox on a real SMTP server
// (aiosmtpd) confirmed by its mail's link, and a Slack channel. The topic gets the processed
// event with the failed stage and actions; Slack the compact message with the console link.
func TestNotificationRuleOnFailure(t *testing.T) {
	t.Parallel()
	requireAWSCLI(t)
	smtpd := deliverytest.StartSMTPD(t)
	b := nodetest.SetupWith(t, func(c *config.Server) { c.AllowLocalDestinations, c.SMTPURL = true, "smtp://"+smtpd.Addr })
	b.SeedRepo(t, nodetest.SrcRepo)
	gate := nodetest.NewGate(t)
	first := b.Create(t, nodetest.Pipeline("web", nodetest.Stage("Build", nodetest.CmdAction("Compile", gate.Wait(), "echo broken; false"))))
	cli := iamCLI{t, b.URL}
	id, secret := nodetest.KeyID, nodetest.Secret
	ctx := t.Context()

	var topic struct{ TopicArn string }
	cli.ok(id, secret, &topic, "sns", "create-topic", "--name", "deploys")
	sns := nodetest.NewSNSReceiver(t, http.DefaultClient)
	var httpSub, mailSub struct{ SubscriptionArn string }
	cli.ok(id, secret, &httpSub, "sns", "subscribe", "--topic-arn", topic.TopicArn, "--protocol", "http", "--notification-endpoint", sns.URL,
		"--return-subscription-arn")
	recv(t, sns.Confirmations, "the http subscription's confirmation")
	cli.ok(id, secret, &mailSub, "sns", "subscribe", "--topic-arn", topic.TopicArn, "--protocol", "email", "--notification-endpoint", "ops@example.com",
		"--return-subscription-arn")
	_, text := smtpd.Next(t, 0)
	confirmed := false
	for _, u := range link.FindAllString(text, -1) {
		if strings.Contains(u, "/confirmation.html?") {
			require.Contains(t, pageGet(t, u), "Subscription confirmed!")
			confirmed = true
		}
	}
	require.True(t, confirmed, "the confirmation mail links its page: %s", text)

	slack := nodetest.NewSlackReceiver(t)
	var ch struct{ ChatChannel struct{ Arn string } }
	require.NoError(t, b.SignedCall(ctx, "SluiceChat_20261207.CreateChatChannel",
		map[string]string{"name": "ops", "kind": "slack", "url": slack.URL}, &ch))

	var rule struct{ Arn string }
	cli.ok(id, secret, &rule, "codestar-notifications", "create-notification-rule", "--name", "web fails",
		"--resource", "arn:aws:codepipeline:us-east-1:000000000000:web", "--detail-type", "FULL",
		"--event-type-ids", "codepipeline-pipeline-pipeline-execution-failed",
		"--targets", "TargetType=SNS,TargetAddress="+topic.TopicArn, "TargetType=AWSChatbotSlack,TargetAddress="+ch.ChatChannel.Arn)
	gate.Open(t) // the first execution fails only now that the rule exists
	b.WaitStatus(t, "web", first, "Failed")
	var started struct{ PipelineExecutionId string }
	cli.ok(id, secret, &started, "codepipeline", "start-pipeline-execution", "--name", "web")
	second := started.PipelineExecutionId
	b.WaitStatus(t, "web", second, "Failed")
	failed := []string{first, second}

	var notes, posts, mails []string
	for range failed {
		note := recv(t, sns.Notifications, "the topic's notification")
		require.Equal(t, httpSub.SubscriptionArn, note.SubscriptionARN)
		var processed struct {
			DetailType, NotificationRuleArn, Source string
			Detail                                  struct{ Pipeline, State string }
			AdditionalAttributes                    struct {
				FailedActionCount int
				FailedStage       string
				FailedActions     []struct{ Action string }
			}
		}
		require.NoError(t, json.Unmarshal([]byte(note.Message), &processed), note.Message)
		require.Equal(t, "CodePipeline Pipeline Execution State Change", processed.DetailType)
		require.Equal(t, rule.Arn, processed.NotificationRuleArn)
		require.Equal(t, "aws.codepipeline", processed.Source)
		require.Equal(t, "web", processed.Detail.Pipeline)
		require.Equal(t, "FAILED", processed.Detail.State)
		require.Equal(t, 1, processed.AdditionalAttributes.FailedActionCount)
		require.Equal(t, "Build", processed.AdditionalAttributes.FailedStage)
		require.Equal(t, "Compile", processed.AdditionalAttributes.FailedActions[0].Action)
		notes = append(notes, note.Message)

		post := recv(t, slack.Posts, "the Slack post")
		require.Regexp(t, `^Pipeline web FAILED at stage Build \(commit [0-9a-f]{7}\)$`, post["text"])
		blocks, _ := json.Marshal(post["blocks"])
		require.Contains(t, string(blocks), b.URL+"/pipelines/web/executions/")
		posts = append(posts, string(blocks))
	}
	// Exactly once per failure to each receiver: the executions' other events matched no rule.
	require.Len(t, waitLog(t, b, httpSub.SubscriptionArn, 3), 3, "the confirmation and one notification per failure")
	require.Len(t, waitLog(t, b, mailSub.SubscriptionArn, 3), 3, "the confirmation and one mail per failure")
	require.Len(t, waitLog(t, b, ch.ChatChannel.Arn, 2), 2, "one post per failure")
	require.Empty(t, sns.Notifications, "no third notification")
	require.Empty(t, slack.Posts, "no third post")
	for _, m := range smtpd.Mails(t) {
		if text := deliverytest.Text(t, m); !strings.Contains(text, "/confirmation.html?") {
			require.Contains(t, text, `"notificationRuleArn":"`+rule.Arn+`"`)
			require.Contains(t, text, `"failedStage":"Build"`)
			mails = append(mails, text)
		}
	}
	require.Len(t, mails, 2, "one mail per failure")
	require.Empty(t, sns.Invalid, "every message validated")
	for _, exec := range failed {
		for what, got := range map[string][]string{"notification": notes, "Slack post": posts, "mail": mails} {
			n := 0
			for _, text := range got {
				if strings.Contains(text, exec) {
					n++
				}
			}
			require.Equal(t, 1, n, "one %s names execution %s", what, exec)
		}
	}
	var targets struct {
		Targets []struct{ TargetAddress, TargetStatus string }
	}
	cli.ok(id, secret, &targets, "codestar-notifications", "list-targets")
	for _, tg := range targets.Targets {
		require.Equal(t, "ACTIVE", tg.TargetStatus, tg.TargetAddress)
	}
}

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

// recv waits for what a receiver got, failing after a bound only a hang reaches.
func recv[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	var v T
	select {
	case v = <-ch:
	case <-time.After(2 * time.Minute):
		require.FailNow(t, "nothing came: "+what)
	}
	return v
}

// TestNotificationRuleApproval: a rule on approvals needed sends a Teams channel its card
// and a topic the processed event with the approval's custom data and link; a target topic
// that does not exist is marked UNREACHABLE while the others are sent to.
func TestNotificationRuleApproval(t *testing.T) {
	t.Parallel()
	requireAWSCLI(t)
	b := nodetest.SetupWith(t, func(c *config.Server) { c.AllowLocalDestinations = true })
	b.SeedRepo(t, nodetest.SrcRepo)
	gate := nodetest.NewGate(t)
	approve := nodetest.Approval("Approve")
	approve.Configuration = map[string]string{"CustomData": "Check the canary dashboard", "ExternalEntityLink": "https://grafana.example.com/d/canary"}
	b.Create(t, nodetest.Pipeline("web", nodetest.Stage("Wait", nodetest.CmdAction("Hold", gate.Wait())), nodetest.Stage("Prod", approve)))
	cli := iamCLI{t, b.URL}
	id, secret := nodetest.KeyID, nodetest.Secret
	ctx := t.Context()

	var topic struct{ TopicArn string }
	cli.ok(id, secret, &topic, "sns", "create-topic", "--name", "approvals")
	sns := nodetest.NewSNSReceiver(t, http.DefaultClient)
	cli.ok(id, secret, nil, "sns", "subscribe", "--topic-arn", topic.TopicArn, "--protocol", "http", "--notification-endpoint", sns.URL)
	recv(t, sns.Confirmations, "the http subscription's confirmation")

	teams := make(chan map[string]any, 4)
	teamsSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body map[string]any
		if json.NewDecoder(r.Body).Decode(&body) != nil {
			http.Error(w, "bad", http.StatusBadRequest)
			return
		}
		w.WriteHeader(http.StatusAccepted) // as a Teams workflow answers
		teams <- body
	}))
	t.Cleanup(teamsSrv.Close)
	var ch struct{ ChatChannel struct{ Arn string } }
	require.NoError(t, b.SignedCall(ctx, "SluiceChat_20261207.CreateChatChannel",
		map[string]string{"name": "releases", "kind": "teams", "url": teamsSrv.URL + "/workflows/x"}, &ch))

	missing := "arn:aws:sns:us-east-1:000000000000:never-made"
	var rule struct{ Arn string }
	cli.ok(id, secret, &rule, "codestar-notifications", "create-notification-rule", "--name", "approvals",
		"--resource", "arn:aws:codepipeline:us-east-1:000000000000:web", "--detail-type", "FULL",
		"--event-type-ids", "codepipeline-pipeline-manual-approval-needed",
		"--targets", "TargetType=SNS,TargetAddress="+missing, "TargetType=SNS,TargetAddress="+topic.TopicArn,
		"TargetType=AWSChatbotMicrosoftTeams,TargetAddress="+ch.ChatChannel.Arn)
	var stages struct{ Arn string }
	cli.ok(id, secret, &stages, "codestar-notifications", "create-notification-rule", "--name", "stages",
		"--resource", "arn:aws:codepipeline:us-east-1:000000000000:web", "--detail-type", "FULL",
		"--event-type-ids", "codepipeline-pipeline-stage-execution-started", "--targets", "TargetType=SNS,TargetAddress="+topic.TopicArn)
	gate.Open(t)

	card := recv(t, teams, "the Teams post")
	require.Equal(t, "message", card["type"])
	raw, err := json.Marshal(card)
	require.NoError(t, err)
	require.Contains(t, string(raw), `"text":"Pipeline web needs an approval at Prod/Approve`)
	require.Contains(t, string(raw), `"type":"Action.OpenUrl"`)

	// The topic hears of the approval (from one rule) and of the stages that start after the
	// rules were made (from the other), each with its FULL attributes.
	var approval, stage map[string]any
	for approval == nil || stage == nil {
		note := recv(t, sns.Notifications, "the topic's notifications")
		var processed map[string]any
		require.NoError(t, json.Unmarshal([]byte(note.Message), &processed), note.Message)
		switch processed["detailType"] {
		case "CodePipeline Action Execution State Change":
			approval = processed
		case "CodePipeline Stage Execution State Change":
			stage = processed
		}
	}
	require.Equal(t, rule.Arn, approval["notificationRuleArn"])
	require.Equal(t, map[string]any{"customData": "Check the canary dashboard", "externalEntityLink": "https://grafana.example.com/d/canary"},
		approval["additionalAttributes"])
	require.Equal(t, stages.Arn, stage["notificationRuleArn"])
	sources := stage["additionalAttributes"].(map[string]any)["sourceActions"].([]any)
	require.Len(t, sources, 1)
	source := sources[0].(map[string]any)
	require.Equal(t, "Source", source["sourceActionName"])
	require.Equal(t, "CodeCommit", source["sourceActionProvider"])
	require.NotEmpty(t, source["sourceActionVariables"].(map[string]any)["CommitId"])

	// The route marks the missing topic after it sent to the others: wait for its mark.
	deadline := time.Now().Add(time.Minute)
	for {
		tgs, _, err := b.Node.DB.ListNotificationTargets(ctx, sluice.NotificationTargetFilter{Status: sluice.TargetUnreachable})
		require.NoError(t, err)
		if len(tgs) > 0 {
			break
		}
		require.True(t, time.Now().Before(deadline), "the missing topic was not marked UNREACHABLE")
		time.Sleep(20 * time.Millisecond)
	}
	var targets struct {
		Targets []struct{ TargetAddress, TargetStatus string }
	}
	cli.ok(id, secret, &targets, "codestar-notifications", "list-targets", "--filters", "Name=TARGET_STATUS,Value=UNREACHABLE")
	require.Len(t, targets.Targets, 1)
	require.Equal(t, missing, targets.Targets[0].TargetAddress)
}
