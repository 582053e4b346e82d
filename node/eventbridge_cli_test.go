package node_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/config"
	"sluice/node"
	"sluice/node/nodetest"
)

// eventsCLI runs `aws events` as the root.
type eventsCLI struct{ iamCLI }

func (a eventsCLI) ok(v any, args ...string) {
	a.t.Helper()
	a.iamCLI.ok(nodetest.KeyID, nodetest.Secret, v, append([]string{"events"}, args...)...)
}

func (a eventsCLI) fails(want []string, args ...string) {
	a.t.Helper()
	a.iamCLI.fails(nodetest.KeyID, nodetest.Secret, want, append([]string{"events"}, args...)...)
}

// waitTriggered waits until pipeline has an execution started by rule, and returns it.
func waitTriggered(t *testing.T, b *nodetest.Bundle, pipeline, ruleARN string) types.PipelineExecutionSummary {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute) // only a hang reaches it
	for {
		for _, e := range b.Executions(t, pipeline) {
			if e.Trigger != nil && e.Trigger.TriggerType == types.TriggerTypeCloudWatchEvent && aws.ToString(e.Trigger.TriggerDetail) == ruleARN {
				return e
			}
		}
		require.True(t, time.Now().Before(deadline), "%s was not started by %s", pipeline, ruleARN)
		time.Sleep(50 * time.Millisecond)
	}
}

// TestEventBridgeWithTheAWSCLI drives rules and targets with `aws events`, then checks
// issue 11's bullet: an event-pattern rule on "Failed" of pipeline A starts pipeline B.
func TestEventBridgeWithTheAWSCLI(t *testing.T) {
	t.Parallel()
	requireAWSCLI(t)
	b := nodetest.Setup(t)
	cli := eventsCLI{iamCLI{t, b.URL}}
	acct, region := b.Node.Config.Account, b.Node.Config.Region
	pipelineARN := func(name string) string { return "arn:aws:codepipeline:" + region + ":" + acct + ":" + name }
	ruleARN := "arn:aws:events:" + region + ":" + acct + ":rule/a-failed"
	pattern := `{"source":["aws.codepipeline"],"detail-type":["CodePipeline Pipeline Execution State Change"],` +
		`"detail":{"pipeline":["a"],"state":["FAILED"]}}`

	var put struct{ RuleArn string }
	cli.ok(&put, "put-rule", "--name", "a-failed", "--event-pattern", pattern, "--description", "B after A fails")
	require.Equal(t, ruleARN, put.RuleArn)
	var rule struct{ Name, Arn, EventPattern, State, Description, EventBusName string }
	cli.ok(&rule, "describe-rule", "--name", "a-failed")
	require.Equal(t, "ENABLED", rule.State)
	require.Equal(t, "default", rule.EventBusName)
	require.JSONEq(t, pattern, rule.EventPattern)

	t.Run("Refusals", func(t *testing.T) {
		cli := eventsCLI{iamCLI{t, b.URL}}
		cli.fails([]string{"(InvalidEventPatternException)", "Event pattern is not valid"}, "put-rule", "--name", "bad", "--event-pattern", `{"source":"x"}`)
		cli.fails([]string{"(ValidationException)"}, "put-rule", "--name", "bad", "--schedule-expression", "rate(1 minutes)")
		cli.fails([]string{"(ValidationException)", "EventPattern or ScheduleExpression"}, "put-rule", "--name", "bad")
		cli.fails([]string{"(ValidationException)", "RoleArn is required for target " + pipelineARN("b")}, "put-targets", "--rule", "a-failed",
			"--targets", `[{"Id":"b","Arn":"`+pipelineARN("b")+`"}]`)
		cli.fails([]string{"(ResourceNotFoundException)", "Rule nope does not exist"}, "describe-rule", "--name", "nope")
		cli.fails([]string{"(ResourceNotFoundException)"}, "list-rules", "--event-bus-name", "other")
		var none struct{ Rules []any }
		cli.ok(&none, "list-rules", "--name-prefix", "bad")
		require.Empty(t, none.Rules, "nothing stored by a refused call")
	})

	b.SeedRepo(t, nodetest.SrcRepo)
	b.Create(t, nodetest.Pipeline("b", nodetest.Stage("Build", nodetest.CmdAction("Ok", "true"))))
	var failed struct{ FailedEntryCount int }
	cli.ok(&failed, "put-targets", "--rule", "a-failed", "--targets",
		`[{"Id":"start-b","Arn":"`+pipelineARN("b")+`","RoleArn":"arn:aws:iam::`+acct+`:role/events"},{"Id":"queue","Arn":"arn:aws:sqs:`+region+`:`+acct+`:q"}]`)
	require.Equal(t, 1, failed.FailedEntryCount, "an SQS queue is not a target Sluice has")
	var targets struct {
		Targets []struct{ Id, Arn, RoleArn string }
	}
	cli.ok(&targets, "list-targets-by-rule", "--rule", "a-failed")
	require.Len(t, targets.Targets, 1)
	require.Equal(t, pipelineARN("b"), targets.Targets[0].Arn)
	cli.fails([]string{"(ValidationException)", "Rule can't be deleted since it has targets."}, "delete-rule", "--name", "a-failed")

	// Pipeline A's first run fails: the rule starts B, as CloudWatchEvent with the rule's ARN.
	b.Create(t, nodetest.Pipeline("a", nodetest.Stage("Build", nodetest.CmdAction("Fail", "exit 1"))))
	started := waitTriggered(t, b, "b", ruleARN)
	require.NotEmpty(t, aws.ToString(started.PipelineExecutionId))

	var match struct{ Result bool }
	event := `{"id":"1","account":"` + acct + `","source":"aws.codepipeline","time":"2026-12-07T10:00:00Z","region":"` + region +
		`","detail-type":"CodePipeline Pipeline Execution State Change","resources":[],"detail":{"pipeline":"a","state":"FAILED"}}`
	cli.ok(&match, "test-event-pattern", "--event-pattern", pattern, "--event", event)
	require.True(t, match.Result)

	cli.ok(nil, "disable-rule", "--name", "a-failed")
	cli.ok(&rule, "describe-rule", "--name", "a-failed")
	require.Equal(t, "DISABLED", rule.State)
	cli.ok(nil, "tag-resource", "--resource-arn", ruleARN, "--tags", "Key=team,Value=ops")
	var tags struct{ Tags []struct{ Key, Value string } }
	cli.ok(&tags, "list-tags-for-resource", "--resource-arn", ruleARN)
	require.Equal(t, "ops", tags.Tags[0].Value)
	cli.ok(nil, "remove-targets", "--rule", "a-failed", "--ids", "start-b")
	cli.ok(nil, "delete-rule", "--name", "a-failed")
	cli.ok(nil, "delete-rule", "--name", "a-failed") // gone already: still a success, as on AWS
}

// TestEventBridgeCustomEventsToAWebhook: PutEvents' events reach rules, and an http(s)
// target receives the input its transformer makes.
func TestEventBridgeCustomEventsToAWebhook(t *testing.T) {
	t.Parallel()
	requireAWSCLI(t)
	b := nodetest.SetupWith(t, func(c *config.Server) { c.AllowLocalDestinations = true })
	cli := eventsCLI{iamCLI{t, b.URL}}
	srv, got := hookReceiver(t)
	cli.ok(nil, "put-rule", "--name", "deploys", "--event-pattern", `{"source":["acme.deploy"],"detail":{"env":[{"prefix":"prod"}]}}`)
	cli.ok(nil, "put-targets", "--rule", "deploys", "--targets", `[{"Id":"hook","Arn":"`+srv.URL+`/in",
	 "InputTransformer":{"InputPathsMap":{"env":"$.detail.env","n":"$.detail.n"},"InputTemplate":"{\"text\":\"deployed to <env>\",\"n\":<n>,\"rule\":\"<aws.events.rule-name>\"}"}}]`)
	var out struct {
		FailedEntryCount int
		Entries          []struct{ EventId, ErrorCode string }
	}
	cli.ok(&out, "put-events", "--entries",
		`[{"Source":"acme.deploy","DetailType":"Deploy","Detail":"{\"env\":\"staging\",\"n\":1}"},
		  {"Source":"acme.deploy","DetailType":"Deploy","Detail":"{\"env\":\"prod-eu\",\"n\":2}"},
		  {"Source":"aws.codepipeline","DetailType":"Deploy","Detail":"{\"env\":\"prod\"}"},
		  {"Source":"acme.deploy","DetailType":"Deploy","Detail":"not json"}]`)
	require.Equal(t, 2, out.FailedEntryCount)
	require.NotEmpty(t, out.Entries[1].EventId)
	require.Equal(t, "NotAuthorizedForSourceException", out.Entries[2].ErrorCode)
	require.Equal(t, "MalformedDetail", out.Entries[3].ErrorCode)
	select {
	case body := <-got:
		require.JSONEq(t, `{"text":"deployed to prod-eu","n":2,"rule":"deploys"}`, string(body))
	case <-time.After(time.Minute):
		t.Fatal("the webhook target received nothing")
	}
}

// movedClock is a clock the test moves forward.
type movedClock struct{ ahead atomic.Int64 }

func (c *movedClock) Now() time.Time { return time.Now().UTC().Add(time.Duration(c.ahead.Load())) }

// TestEventBridgeScheduleStartsAPipeline is issue 11's bullet: a rule rate(1 minute)
// targeting a pipeline starts it; the test moves the schedules' clock instead of waiting.
func TestEventBridgeScheduleStartsAPipeline(t *testing.T) {
	t.Parallel()
	requireAWSCLI(t)
	cfg := config.Defaults()
	cfg.Listen, cfg.DataDir, cfg.Workers = "127.0.0.1:0", t.TempDir(), 2
	cfg.AccessKeyID, cfg.SecretAccessKey = nodetest.KeyID, nodetest.Secret
	clock := &movedClock{}
	n, err := node.New(context.Background(), cfg, node.Options{ScheduleClock: clock,
		Log: slog.New(slog.NewTextHandler(nodetest.TestWriter{T: t}, &slog.HandlerOptions{Level: slog.LevelWarn}))})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, n.Close()) })
	b := &nodetest.Bundle{Node: n, URL: n.URL()}
	b.CP, b.CC = nodetest.Clients(b.URL, nodetest.KeyID, nodetest.Secret)
	cli := eventsCLI{iamCLI{t, b.URL}}
	acct, region := cfg.Account, cfg.Region
	b.SeedRepo(t, nodetest.SrcRepo)
	b.Create(t, nodetest.Pipeline("nightly", nodetest.Stage("Build", nodetest.CmdAction("Ok", "true"))))

	var put struct{ RuleArn string }
	cli.ok(&put, "put-rule", "--name", "every-minute", "--schedule-expression", "rate(1 minute)")
	cli.ok(nil, "put-targets", "--rule", "every-minute", "--targets",
		`[{"Id":"nightly","Arn":"arn:aws:codepipeline:`+region+`:`+acct+`:nightly","RoleArn":"arn:aws:iam::`+acct+`:role/events"}]`)
	require.Len(t, b.Executions(t, "nightly"), 1, "nothing fires before its minute")

	clock.ahead.Store(int64(61 * time.Second))
	require.NoError(t, n.DB.Notify(context.Background(), sluice.TopicEventRules)) // the runner reads the moved clock now
	started := waitTriggered(t, b, "nightly", put.RuleArn)
	require.NotEmpty(t, aws.ToString(started.PipelineExecutionId))
	var rule struct{ ScheduleExpression string }
	cli.ok(&rule, "describe-rule", "--name", "every-minute")
	require.Equal(t, "rate(1 minute)", rule.ScheduleExpression)
}

// TestEventBridgeToATopic: a rule whose target is a topic publishes the event, as the
// Message, once, to a subscriber that checks SNS signatures; pipeline failures reach it.
func TestEventBridgeToATopic(t *testing.T) {
	t.Parallel()
	requireAWSCLI(t)
	b := nodetest.SetupWith(t, func(c *config.Server) { c.AllowLocalDestinations = true })
	cli := eventsCLI{iamCLI{t, b.URL}}
	rcv := nodetest.NewSNSReceiver(t, http.DefaultClient)
	var topic struct{ TopicArn string }
	cli.iamCLI.ok(nodetest.KeyID, nodetest.Secret, &topic, "sns", "create-topic", "--name", "failures")
	cli.iamCLI.ok(nodetest.KeyID, nodetest.Secret, nil, "sns", "subscribe", "--topic-arn", topic.TopicArn, "--protocol", "http",
		"--notification-endpoint", rcv.URL)
	<-rcv.Confirmations

	cli.ok(nil, "put-rule", "--name", "failed-actions", "--event-pattern",
		`{"source":["aws.codepipeline"],"detail-type":["CodePipeline Action Execution State Change"],"detail":{"state":["FAILED"]}}`)
	cli.ok(nil, "put-targets", "--rule", "failed-actions", "--targets", `[{"Id":"topic","Arn":"`+topic.TopicArn+`"}]`)
	b.SeedRepo(t, nodetest.SrcRepo)
	b.Create(t, nodetest.Pipeline("web", nodetest.Stage("Build", nodetest.CmdAction("Compile", "exit 3"))))

	var m nodetest.SNSMessage
	select {
	case m = <-rcv.Notifications:
	case err := <-rcv.Invalid:
		t.Fatalf("the receiver refused a message: %v", err)
	case <-time.After(2 * time.Minute):
		t.Fatal("no notification")
	}
	require.Empty(t, m.Subject, "EventBridge publishes without a subject")
	var ev struct {
		ID         string `json:"id"`
		DetailType string `json:"detail-type"`
		Detail     struct{ Pipeline, Stage, Action, State string }
	}
	require.NoError(t, json.Unmarshal([]byte(m.Message), &ev), m.Message)
	require.Equal(t, "CodePipeline Action Execution State Change", ev.DetailType)
	require.Equal(t, []string{"web", "Build", "Compile", "FAILED"}, []string{ev.Detail.Pipeline, ev.Detail.Stage, ev.Detail.Action, ev.Detail.State})
	require.NotEmpty(t, ev.ID)
}
