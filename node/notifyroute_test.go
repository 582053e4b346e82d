package node_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/config"
	"sluice/node/nodetest"
	"sluice/service"
)

// TestNotificationRuleOnFailure: a FULL rule on a pipeline's failed executions, with an SNS
// topic (an http subscriber confirmed through its SubscribeURL) and a Slack channel as
// targets, sends one notice to each when the execution fails: the processed event with the
// failed stage and actions to the topic, the compact message with the console link to Slack.
func TestNotificationRuleOnFailure(t *testing.T) {
	t.Parallel()
	requireAWSCLI(t)
	b := nodetest.SetupWith(t, func(c *config.Server) { c.AllowLocalDestinations = true })
	b.SeedRepo(t, nodetest.SrcRepo)
	gate := nodetest.NewGate(t)
	b.Create(t, nodetest.Pipeline("web", nodetest.Stage("Build", nodetest.CmdAction("Compile", gate.Wait(), "echo broken; false"))))
	cli := iamCLI{t, b.URL}
	id, secret := nodetest.KeyID, nodetest.Secret

	// The topic (made through the core: the SNS API is another lane's), and an http
	// subscriber that validates signatures, confirmed with its token.
	core, ctx := b.Node.API.Service, t.Context()
	topic, err := core.CreateTopic(ctx, sluice.ServerCaller(), "deploys", nil, nil)
	require.NoError(t, err)
	sns := nodetest.NewSNSReceiver(t, http.DefaultClient)
	sub, err := core.Subscribe(ctx, sluice.ServerCaller(), service.SubscribeParams{TopicARN: topic, Protocol: "http", Endpoint: sns.URL,
		ReturnSubscriptionArn: true})
	require.NoError(t, err)
	confirmation, _, err := b.Node.DB.ListDeliveries(ctx, sluice.DeliveryFilter{Target: sub})
	require.NoError(t, err)
	require.Len(t, confirmation, 1)
	_, err = core.ConfirmSubscription(ctx, sluice.ServerCaller(), service.ConfirmParams{TopicARN: topic, Token: confirmation[0].Delivery.Token})
	require.NoError(t, err)

	slack := nodetest.NewSlackReceiver(t)
	var ch struct{ ChatChannel struct{ Arn string } }
	require.NoError(t, b.SignedCall(ctx, "SluiceChat_20261207.CreateChatChannel",
		map[string]string{"name": "ops", "kind": "slack", "url": slack.URL}, &ch))

	var rule struct{ Arn string }
	cli.ok(id, secret, &rule, "codestar-notifications", "create-notification-rule", "--name", "web fails",
		"--resource", "arn:aws:codepipeline:us-east-1:000000000000:web", "--detail-type", "FULL",
		"--event-type-ids", "codepipeline-pipeline-pipeline-execution-failed",
		"--targets", "TargetType=SNS,TargetAddress="+topic, "TargetType=AWSChatbotSlack,TargetAddress="+ch.ChatChannel.Arn)
	gate.Open(t)

	note := recv(t, sns.Notifications, "the topic's notification")
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

	post := recv(t, slack.Posts, "the Slack post")
	require.Regexp(t, `^Pipeline web FAILED at stage Build \(commit [0-9a-f]{7}\)$`, post["text"])
	blocks, _ := json.Marshal(post["blocks"])
	require.Contains(t, string(blocks), b.URL+"/pipelines/web/executions/")

	// Once per failure: the execution's other events matched no rule.
	rec := waitDelivery(t, b, ch.ChatChannel.Arn)
	require.Equal(t, sluice.DeliveryDelivered, rec.Delivery.Status)
	log, _, err := b.Node.DB.ListDeliveries(ctx, sluice.DeliveryFilter{Target: ch.ChatChannel.Arn})
	require.NoError(t, err)
	require.Len(t, log, 1)
	var targets struct {
		Targets []struct{ TargetAddress, TargetStatus string }
	}
	cli.ok(id, secret, &targets, "codestar-notifications", "list-targets")
	for _, tg := range targets.Targets {
		require.Equal(t, "ACTIVE", tg.TargetStatus, tg.TargetAddress)
	}
}

// recv waits for what a receiver got, failing after a bound only a hang reaches.
func recv[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(2 * time.Minute):
		require.FailNow(t, "nothing came: "+what)
		panic("unreachable")
	}
}
