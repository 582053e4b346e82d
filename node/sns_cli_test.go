package node_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice/config"
	"sluice/delivery/deliverytest"
	"sluice/node/nodetest"
)

// snsPost is one request an SNS endpoint received.
type snsPost struct {
	Header http.Header
	Body   []byte
}

// (m snsPost) json decodes the body of a JSON (not raw) delivery.
func (p snsPost) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(p.Body, &m), string(p.Body))
	return m
}

// snsReceiver is an http endpoint that hands every request to its channel.
func snsReceiver(t *testing.T) (*httptest.Server, <-chan snsPost) {
	t.Helper()
	got := make(chan snsPost, 16)
	srv := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- snsPost{Header: r.Header.Clone(), Body: b}
	}))
	t.Cleanup(srv.Close)
	return srv, got
}

// verifySNS checks a message's SignatureVersion 2 signature against the certificate its
// SigningCertURL serves, as a receiver's validator does (§3.5).
func verifySNS(t *testing.T, m map[string]any) {
	t.Helper()
	require.Equal(t, "2", m["SignatureVersion"])
	require.Regexp(t, `/SimpleNotificationService-[0-9a-f]{32}\.pem$`, m["SigningCertURL"])
	f := map[string]string{}
	for k, v := range m {
		if s, ok := v.(string); ok {
			f[k] = s
		}
	}
	v := &deliverytest.SNSVerifier{Client: http.DefaultClient}
	require.NoError(t, v.Verify(f), "signature")
}

// TestSNSWithTheAWSCLI drives topics, an http subscription's handshake, publishes and
// unsubscribing with `aws sns`, and a real receiver that checks every message's signature
// and follows its links without credentials.
func TestSNSWithTheAWSCLI(t *testing.T) {
	t.Parallel()
	requireAWSCLI(t)
	b := nodetest.SetupWith(t, func(c *config.Server) { c.AllowLocalDestinations = true })
	cli := iamCLI{t, b.URL}
	root, secret := nodetest.KeyID, nodetest.Secret
	recv, got := snsReceiver(t)

	var topic struct{ TopicArn string }
	cli.ok(root, secret, &topic, "sns", "create-topic", "--name", "alerts", "--tags", "Key=team,Value=ops")
	require.Equal(t, "arn:aws:sns:"+b.Node.Config.Region+":"+b.Node.Config.Account+":alerts", topic.TopicArn)
	cli.ok(root, secret, nil, "sns", "set-topic-attributes", "--topic-arn", topic.TopicArn,
		"--attribute-name", "SignatureVersion", "--attribute-value", "2")

	var sub struct{ SubscriptionArn string }
	cli.ok(root, secret, &sub, "sns", "subscribe", "--topic-arn", topic.TopicArn, "--protocol", "http",
		"--notification-endpoint", recv.URL+"/hook?x=1")
	require.Equal(t, "pending confirmation", sub.SubscriptionArn)
	var listed struct {
		Subscriptions []struct{ SubscriptionArn, Protocol, Endpoint, TopicArn, Owner string }
	}
	cli.ok(root, secret, &listed, "sns", "list-subscriptions-by-topic", "--topic-arn", topic.TopicArn)
	require.Len(t, listed.Subscriptions, 1)
	require.Equal(t, "PendingConfirmation", listed.Subscriptions[0].SubscriptionArn)

	// The receiver checks the confirmation and follows its SubscribeURL, without credentials.
	conf := <-got
	require.Equal(t, "SubscriptionConfirmation", conf.Header.Get("x-amz-sns-message-type"))
	m := conf.json(t)
	verifySNS(t, m)
	require.Equal(t, topic.TopicArn, m["TopicArn"])
	resp, err := http.Get(m["SubscribeURL"].(string))
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode, string(body))
	require.Contains(t, string(body), "<ConfirmSubscriptionResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><ConfirmSubscriptionResult><SubscriptionArn>"+topic.TopicArn+":")

	cli.ok(root, secret, &listed, "sns", "list-subscriptions")
	require.Len(t, listed.Subscriptions, 1)
	subARN := listed.Subscriptions[0].SubscriptionArn

	// The link was recorded in the trail, without a principal and without its token.
	var trail struct {
		Events []struct{ CloudTrailEvent string }
	}
	cli.ok(root, secret, &trail, "cloudtrail", "lookup-events", "--region", b.Node.Config.Region,
		"--lookup-attributes", "AttributeKey=EventName,AttributeValue=ConfirmSubscription")
	require.Len(t, trail.Events, 1)
	var rec struct {
		EventSource       string
		UserIdentity      struct{ Type string }
		RequestParameters map[string]string
	}
	require.NoError(t, json.Unmarshal([]byte(trail.Events[0].CloudTrailEvent), &rec))
	require.Equal(t, "sns.amazonaws.com", rec.EventSource)
	require.Equal(t, "Unknown", rec.UserIdentity.Type)
	require.Equal(t, "HIDDEN_DUE_TO_SECURITY_REASONS", rec.RequestParameters["token"])
	require.Equal(t, topic.TopicArn, rec.RequestParameters["topicArn"])
	require.True(t, strings.HasPrefix(subARN, topic.TopicArn+":"), subARN)
	require.Equal(t, recv.URL+"/hook?x=1", listed.Subscriptions[0].Endpoint)

	var pub struct{ MessageId string }
	cli.ok(root, secret, &pub, "sns", "publish", "--topic-arn", topic.TopicArn, "--subject", "Deploy failed",
		"--message", "pipeline <web> failed", "--message-attributes", `{"stage":{"DataType":"String","StringValue":"Build"}}`)
	note := <-got
	require.Equal(t, "Notification", note.Header.Get("x-amz-sns-message-type"))
	require.Equal(t, pub.MessageId, note.Header.Get("x-amz-sns-message-id"))
	require.Equal(t, subARN, note.Header.Get("x-amz-sns-subscription-arn"))
	m = note.json(t)
	verifySNS(t, m)
	require.Equal(t, "pipeline <web> failed", m["Message"])
	require.Equal(t, "Deploy failed", m["Subject"])
	require.Equal(t, map[string]any{"stage": map[string]any{"Type": "String", "Value": "Build"}}, m["MessageAttributes"])

	var attrs struct{ Attributes map[string]string }
	cli.ok(root, secret, nil, "sns", "set-subscription-attributes", "--subscription-arn", subARN,
		"--attribute-name", "RawMessageDelivery", "--attribute-value", "true")
	cli.ok(root, secret, &attrs, "sns", "get-subscription-attributes", "--subscription-arn", subARN)
	require.Equal(t, "true", attrs.Attributes["RawMessageDelivery"])
	require.Equal(t, "false", attrs.Attributes["PendingConfirmation"])
	require.Contains(t, attrs.Attributes["EffectiveDeliveryPolicy"], `"healthyRetryPolicy"`)
	cli.ok(root, secret, &pub, "sns", "publish", "--topic-arn", topic.TopicArn, "--message-structure", "json",
		"--message", `{"default":"d","http":"raw for http"}`)
	raw := <-got
	require.Equal(t, "raw for http", string(raw.Body))
	require.Equal(t, "true", raw.Header.Get("x-amz-sns-rawdelivery"))

	// A filter policy: the Build message is filtered out, so the Deploy one comes next.
	cli.ok(root, secret, nil, "sns", "set-subscription-attributes", "--subscription-arn", subARN,
		"--attribute-name", "FilterPolicy", "--attribute-value", `{"stage":["Deploy"]}`)
	for _, stage := range []string{"Build", "Deploy"} {
		cli.ok(root, secret, nil, "sns", "publish", "--topic-arn", topic.TopicArn, "--message", "at "+stage,
			"--message-attributes", `{"stage":{"DataType":"String","StringValue":"`+stage+`"}}`)
	}
	require.Equal(t, "at Deploy", string((<-got).Body))
	cli.ok(root, secret, nil, "sns", "set-subscription-attributes", "--subscription-arn", subARN,
		"--attribute-name", "FilterPolicy", "--attribute-value", "")

	cli.ok(root, secret, &attrs, "sns", "get-topic-attributes", "--topic-arn", topic.TopicArn)
	require.Equal(t, "1", attrs.Attributes["SubscriptionsConfirmed"])
	require.Equal(t, "2", attrs.Attributes["SignatureVersion"])
	var tags struct{ Tags []struct{ Key, Value string } }
	cli.ok(root, secret, nil, "sns", "tag-resource", "--resource-arn", topic.TopicArn, "--tags", "Key=env,Value=prod")
	cli.ok(root, secret, nil, "sns", "untag-resource", "--resource-arn", topic.TopicArn, "--tag-keys", "team")
	cli.ok(root, secret, &tags, "sns", "list-tags-for-resource", "--resource-arn", topic.TopicArn)
	require.Equal(t, []struct{ Key, Value string }{{"env", "prod"}}, tags.Tags)

	cli.fails(root, secret, []string{"NotFound", "Topic does not exist"}, "sns", "publish", "--topic-arn", topic.TopicArn+"x", "--message", "m")
	cli.fails(root, secret, []string{"InvalidParameter", "No default entry"}, "sns", "publish", "--topic-arn", topic.TopicArn,
		"--message-structure", "json", "--message", `{"http":"x"}`)
	cli.fails(root, secret, []string{"InvalidParameter", "Subject"}, "sns", "publish", "--topic-arn", topic.TopicArn,
		"--message", "m", "--subject", "two\nlines")
	cli.fails(root, secret, []string{"InvalidParameter", "does not support this protocol"}, "sns", "subscribe",
		"--topic-arn", topic.TopicArn, "--protocol", "sms", "--notification-endpoint", "+15555550100")
	cli.fails(root, secret, []string{"ResourceNotFound"}, "sns", "list-tags-for-resource", "--resource-arn", topic.TopicArn+"x")

	// The UnsubscribeURL of a notification unsubscribes without credentials; the endpoint
	// is told with an UnsubscribeConfirmation.
	resp, err = http.Get(m["UnsubscribeURL"].(string))
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	bye := <-got
	require.Equal(t, "UnsubscribeConfirmation", bye.Header.Get("x-amz-sns-message-type"))
	m = bye.json(t)
	verifySNS(t, m)
	cli.ok(root, secret, &listed, "sns", "list-subscriptions")
	require.Empty(t, listed.Subscriptions)

	// Its SubscribeURL restores the subscription; `aws sns unsubscribe` ends it again.
	resp, err = http.Get(m["SubscribeURL"].(string))
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	cli.ok(root, secret, &listed, "sns", "list-subscriptions")
	require.Len(t, listed.Subscriptions, 1)
	require.Equal(t, subARN, listed.Subscriptions[0].SubscriptionArn)
	cli.ok(root, secret, nil, "sns", "unsubscribe", "--subscription-arn", subARN)
	require.Equal(t, "UnsubscribeConfirmation", (<-got).Header.Get("x-amz-sns-message-type"))
	cli.ok(root, secret, &listed, "sns", "list-subscriptions")
	require.Empty(t, listed.Subscriptions)

	cli.ok(root, secret, nil, "sns", "delete-topic", "--topic-arn", topic.TopicArn)
	var topics struct{ Topics []struct{ TopicArn string } }
	cli.ok(root, secret, &topics, "sns", "list-topics")
	require.Empty(t, topics.Topics)
}

// TestSNSRefusesLocalEndpoints: without --allow-local-destinations, Subscribe refuses an
// endpoint on loopback or a private network, and stores nothing.
func TestSNSRefusesLocalEndpoints(t *testing.T) {
	t.Parallel()
	requireAWSCLI(t)
	b := nodetest.Setup(t)
	cli := iamCLI{t, b.URL}
	root, secret := nodetest.KeyID, nodetest.Secret
	var topic struct{ TopicArn string }
	cli.ok(root, secret, &topic, "sns", "create-topic", "--name", "guarded")
	for _, endpoint := range []string{"http://127.0.0.1:9/", "http://localhost:8080/x", "https://10.0.0.1/", "http://[::1]/", "http://169.254.169.254/latest"} {
		proto, _, _ := strings.Cut(endpoint, ":")
		cli.fails(root, secret, []string{"InvalidParameter", "local destinations are not allowed"}, "sns", "subscribe",
			"--topic-arn", topic.TopicArn, "--protocol", proto, "--notification-endpoint", endpoint)
	}
	var listed struct{ Subscriptions []any }
	cli.ok(root, secret, &listed, "sns", "list-subscriptions")
	require.Empty(t, listed.Subscriptions)
}
