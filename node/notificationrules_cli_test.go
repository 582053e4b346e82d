package node_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/node/nodetest"
)

type cliRule struct {
	Arn, Name, Resource, DetailType, Status, CreatedBy string
	EventTypes                                         []struct{ EventTypeId, EventTypeName, ServiceName, ResourceType string }
	Targets                                            []struct{ TargetAddress, TargetType, TargetStatus string }
	Tags                                               map[string]string
	CreatedTimestamp                                   float64
}

// TestNotificationRulesWithTheAWSCLI drives CodeStar Notifications with `aws
// codestar-notifications`: event types, a rule's life (create, describe, update, subscribe,
// unsubscribe, tags, delete), targets, chat targets naming a chat channel, and the model's
// exceptions for bad input, which store nothing.
func TestNotificationRulesWithTheAWSCLI(t *testing.T) {
	t.Parallel()
	requireAWSCLI(t)
	b := nodetest.Setup(t)
	b.SeedRepo(t, nodetest.SrcRepo)
	b.Create(t, nodetest.Pipeline("web", nodetest.Stage("Build", nodetest.CmdAction("Compile", "true"))))
	cli := iamCLI{t, b.URL}
	id, secret := nodetest.KeyID, nodetest.Secret
	ok := func(v any, args ...string) {
		t.Helper()
		cli.ok(id, secret, v, append([]string{"codestar-notifications"}, args...)...)
	}
	fails := func(want []string, args ...string) {
		t.Helper()
		cli.fails(id, secret, want, append([]string{"codestar-notifications"}, args...)...)
	}
	const (
		pipeline = "arn:aws:codepipeline:us-east-1:000000000000:web"
		topic    = "arn:aws:sns:us-east-1:000000000000:deploys"
		topic2   = "arn:aws:sns:us-east-1:000000000000:audit"
	)

	var types struct {
		EventTypes []struct{ EventTypeId, EventTypeName, ServiceName, ResourceType string }
	}
	ok(&types, "list-event-types", "--filters", "Name=SERVICE_NAME,Value=CodePipeline")
	require.Len(t, types.EventTypes, 18)
	require.Contains(t, types.EventTypes, struct{ EventTypeId, EventTypeName, ServiceName, ResourceType string }{
		"codepipeline-pipeline-pipeline-execution-failed", "Pipeline execution: Failed", "CodePipeline", "Pipeline"})
	ok(&types, "list-event-types", "--max-items", "5")
	require.Len(t, types.EventTypes, 5)

	var created struct{ Arn string }
	ok(&created, "create-notification-rule", "--name", "web fails", "--resource", pipeline, "--detail-type", "FULL",
		"--event-type-ids", "codepipeline-pipeline-pipeline-execution-failed", "codepipeline-pipeline-manual-approval-needed",
		"--targets", "TargetType=SNS,TargetAddress="+topic, "--tags", "team=ops")
	require.Regexp(t, `^arn:aws:codestar-notifications:us-east-1:000000000000:notificationrule/[0-9a-f]{40}$`, created.Arn)

	var rule cliRule
	ok(&rule, "describe-notification-rule", "--arn", created.Arn)
	require.Equal(t, "web fails", rule.Name)
	require.Equal(t, pipeline, rule.Resource)
	require.Equal(t, "ENABLED", rule.Status)
	require.Equal(t, "FULL", rule.DetailType)
	require.Equal(t, map[string]string{"team": "ops"}, rule.Tags)
	require.Len(t, rule.EventTypes, 2)
	require.Equal(t, "Manual approval: Needed", rule.EventTypes[0].EventTypeName)
	require.Equal(t, []struct{ TargetAddress, TargetType, TargetStatus string }{{topic, "SNS", "ACTIVE"}}, rule.Targets)
	require.NotZero(t, rule.CreatedTimestamp)

	ok(nil, "update-notification-rule", "--arn", created.Arn, "--status", "DISABLED", "--detail-type", "BASIC")
	ok(nil, "subscribe", "--arn", created.Arn, "--target", "TargetType=SNS,TargetAddress="+topic2)
	ok(&rule, "describe-notification-rule", "--arn", created.Arn)
	require.Equal(t, "DISABLED", rule.Status)
	require.Equal(t, "BASIC", rule.DetailType)
	require.Len(t, rule.Targets, 2)
	ok(nil, "unsubscribe", "--arn", created.Arn, "--target-address", topic2)

	var targets struct {
		Targets []struct{ TargetAddress, TargetType, TargetStatus string }
	}
	ok(&targets, "list-targets")
	require.Len(t, targets.Targets, 2, "an unsubscribed target stays the account's")
	fails([]string{"ValidationException", "still subscribed"}, "delete-target", "--target-address", topic)
	ok(nil, "delete-target", "--target-address", topic2)
	ok(&targets, "list-targets", "--filters", "Name=TARGET_STATUS,Value=ACTIVE")
	require.Len(t, targets.Targets, 1)

	var tags struct{ Tags map[string]string }
	ok(&tags, "tag-resource", "--arn", created.Arn, "--tags", "env=prod")
	require.Equal(t, map[string]string{"team": "ops", "env": "prod"}, tags.Tags)
	ok(nil, "untag-resource", "--arn", created.Arn, "--tag-keys", "team")
	var left struct{ Tags map[string]string }
	ok(&left, "list-tags-for-resource", "--arn", created.Arn)
	require.Equal(t, map[string]string{"env": "prod"}, left.Tags)

	var list struct{ NotificationRules []struct{ Id, Arn string } }
	ok(&list, "list-notification-rules", "--filters", "Name=RESOURCE,Value="+pipeline)
	require.Len(t, list.NotificationRules, 1)
	require.Equal(t, created.Arn, list.NotificationRules[0].Arn)

	// Bad input: the model's exceptions, nothing stored.
	base := []string{"--resource", pipeline, "--detail-type", "FULL", "--targets", "TargetType=SNS,TargetAddress=" + topic}
	fails([]string{"ResourceAlreadyExistsException"}, append([]string{"create-notification-rule", "--name", "web fails",
		"--event-type-ids", "codepipeline-pipeline-pipeline-execution-failed"}, base...)...)
	fails([]string{"ValidationException", "codepipeline-pipeline-nope"}, append([]string{"create-notification-rule", "--name", "other",
		"--event-type-ids", "codepipeline-pipeline-nope"}, base...)...)
	fails([]string{"ValidationException", "does not exist"}, "create-notification-rule", "--name", "other", "--resource",
		"arn:aws:codepipeline:us-east-1:000000000000:none", "--detail-type", "FULL", "--targets", "TargetType=SNS,TargetAddress="+topic,
		"--event-type-ids", "codepipeline-pipeline-pipeline-execution-failed")
	fails([]string{"ValidationException", "detailType"}, "create-notification-rule", "--name", "other",
		"--event-type-ids", "codepipeline-pipeline-pipeline-execution-failed", "--resource", pipeline, "--detail-type", "LOUD",
		"--targets", "TargetType=SNS,TargetAddress="+topic)
	fails([]string{"ConfigurationException"}, "create-notification-rule", "--name", "other",
		"--event-type-ids", "codepipeline-pipeline-pipeline-execution-failed", "--resource", pipeline, "--detail-type", "FULL",
		"--targets", "TargetType=AWSChatbotSlack,TargetAddress=arn:aws:chatbot::000000000000:chat-configuration/slack-channel/none")
	fails([]string{"ResourceNotFoundException"}, "describe-notification-rule", "--arn",
		"arn:aws:codestar-notifications:us-east-1:000000000000:notificationrule/0000000000000000000000000000000000000000")
	ok(&list, "list-notification-rules")
	require.Len(t, list.NotificationRules, 1, "refused requests store nothing")

	// Every call is in the audit trail, refused ones with their exception.
	var trail struct {
		Events []struct{ EventSource, CloudTrailEvent string }
	}
	cli.ok(id, secret, &trail, "cloudtrail", "lookup-events", "--lookup-attributes", "AttributeKey=EventName,AttributeValue=CreateNotificationRule")
	codes := map[string]bool{}
	for _, e := range trail.Events {
		require.Equal(t, "codestar-notifications.amazonaws.com", e.EventSource)
		var rec struct{ ErrorCode string }
		require.NoError(t, json.Unmarshal([]byte(e.CloudTrailEvent), &rec))
		codes[rec.ErrorCode] = true
	}
	require.True(t, codes[""] && codes["ResourceAlreadyExistsException"] && codes["ConfigurationException"], "%v", codes)

	ok(nil, "delete-notification-rule", "--arn", created.Arn)
	ok(nil, "delete-notification-rule", "--arn", created.Arn) // again: AWS answers success
	ok(&list, "list-notification-rules")
	require.Empty(t, list.NotificationRules)
}

// TestChatTargets configures a chat channel through Sluice's JSON API and names it as a
// notification rule's AWSChatbotSlack target; its URL is never answered.
func TestChatTargets(t *testing.T) {
	t.Parallel()
	requireAWSCLI(t)
	b := nodetest.Setup(t)
	b.SeedRepo(t, nodetest.SrcRepo)
	b.Create(t, nodetest.Pipeline("web", nodetest.Stage("Build", nodetest.CmdAction("Compile", "true"))))
	ctx := context.Background()
	var ch struct {
		ChatChannel struct{ Name, Arn, Kind string }
	}
	require.NoError(t, b.SignedCall(ctx, "SluiceChat_20261207.CreateChatChannel",
		map[string]string{"name": "ops", "kind": "slack", "url": "https://hooks.slack.example/services/T/B/secret"}, &ch))
	require.Equal(t, "arn:aws:chatbot::000000000000:chat-configuration/slack-channel/ops", ch.ChatChannel.Arn)
	var raw map[string]any
	require.NoError(t, b.SignedCall(ctx, "SluiceChat_20261207.ListChatChannels", map[string]string{}, &raw))
	out, err := json.Marshal(raw)
	require.NoError(t, err)
	require.Contains(t, string(out), ch.ChatChannel.Arn)
	require.NotContains(t, string(out), "secret")

	cli := iamCLI{t, b.URL}
	var created struct{ Arn string }
	cli.ok(nodetest.KeyID, nodetest.Secret, &created, "codestar-notifications", "create-notification-rule", "--name", "chat",
		"--resource", "arn:aws:codepipeline:us-east-1:000000000000:web", "--detail-type", "BASIC",
		"--event-type-ids", "codepipeline-pipeline-pipeline-execution-failed",
		"--targets", "TargetType=AWSChatbotSlack,TargetAddress="+ch.ChatChannel.Arn)
	cli.fails(nodetest.KeyID, nodetest.Secret, []string{"ValidationException", "slack channel"}, "codestar-notifications", "subscribe",
		"--arn", created.Arn, "--target", "TargetType=AWSChatbotMicrosoftTeams,TargetAddress="+ch.ChatChannel.Arn)

	err = b.SignedCall(ctx, "SluiceChat_20261207.CreateChatChannel",
		map[string]string{"name": "inside", "kind": "slack", "url": "http://127.0.0.1:8080/hooks"}, nil)
	require.ErrorContains(t, err, "ValidationException", "a local destination, without --allow-local-destinations")

	// A notice queued for the channel (not yet due) is not sent once the channel is deleted.
	queued := &sluice.Delivery{ID: "33333333-2222-4333-8444-555555555555", Key: "queued", Target: ch.ChatChannel.Arn,
		Protocol: sluice.ProtocolSlack, Endpoint: ch.ChatChannel.Arn, Message: `{"text":"later"}`, NextAttempt: time.Now().Add(time.Hour)}
	require.NoError(t, b.Node.DB.EnqueueDeliveries(ctx, queued))
	require.NoError(t, b.SignedCall(ctx, "SluiceChat_20261207.DeleteChatChannel", map[string]string{"name": "ops"}, nil))
	log, _, err := b.Node.DB.ListDeliveries(ctx, sluice.DeliveryFilter{Target: ch.ChatChannel.Arn})
	require.NoError(t, err)
	require.Len(t, log, 1)
	require.Equal(t, sluice.DeliveryFailed, log[0].Delivery.Status)
	require.Equal(t, "the chat channel was deleted", log[0].Delivery.LastError)
	err = b.SignedCall(ctx, "SluiceChat_20261207.DeleteChatChannel", map[string]string{"name": "ops"}, nil)
	require.ErrorContains(t, err, "ResourceNotFoundException")
}
