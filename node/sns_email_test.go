package node_test

import (
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice/config"
	"sluice/delivery/deliverytest"
	"sluice/node/nodetest"
)

var link = regexp.MustCompile(`https?://\S+`)

// pageGet opens a link of a mail as a browser would and returns the page.
func pageGet(t *testing.T, u string) string {
	t.Helper()
	resp, err := http.Get(u)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode, string(b))
	require.Contains(t, resp.Header.Get("Content-Type"), "text/html")
	return string(b)
}

// TestSNSEmailWithTheAWSCLI subscribes a mailbox with `aws sns subscribe --protocol email`
// on a server that sends through a real SMTP server (aiosmtpd): the confirmation mail's link
// opens the confirmation page, which confirms; a publish arrives as mail whose unsubscribe
// link opens the page that ends the subscription.
func TestSNSEmailWithTheAWSCLI(t *testing.T) {
	t.Parallel()
	requireAWSCLI(t)
	smtpd := deliverytest.StartSMTPD(t)
	b := nodetest.SetupWith(t, func(c *config.Server) { c.SMTPURL = "smtp://" + smtpd.Addr })
	cli := iamCLI{t, b.URL}
	root, secret := nodetest.KeyID, nodetest.Secret

	var topic struct{ TopicArn string }
	cli.ok(root, secret, &topic, "sns", "create-topic", "--name", "deploys")
	var sub struct{ SubscriptionArn string }
	cli.ok(root, secret, &sub, "sns", "subscribe", "--topic-arn", topic.TopicArn, "--protocol", "email",
		"--notification-endpoint", "ops@example.com")
	require.Equal(t, "pending confirmation", sub.SubscriptionArn)

	m, text := smtpd.Next(t, 0)
	require.Equal(t, "AWS Notification - Subscription Confirmation", m.Header.Get("Subject"))
	require.Contains(t, m.Header.Get("To"), "ops@example.com")
	confirm := ""
	for _, u := range link.FindAllString(text, -1) {
		if strings.Contains(u, "/confirmation.html?") {
			confirm = u
		}
	}
	require.NotEmpty(t, confirm, text)
	require.True(t, strings.HasPrefix(confirm, b.URL+"/confirmation.html?"), confirm)
	page := pageGet(t, confirm)
	require.Contains(t, page, "Subscription confirmed!")

	var listed struct {
		Subscriptions []struct{ SubscriptionArn, Protocol, Endpoint string }
	}
	cli.ok(root, secret, &listed, "sns", "list-subscriptions-by-topic", "--topic-arn", topic.TopicArn)
	require.Len(t, listed.Subscriptions, 1)
	subARN := listed.Subscriptions[0].SubscriptionArn
	require.True(t, strings.HasPrefix(subARN, topic.TopicArn+":"), subARN)
	require.Contains(t, page, subARN)

	cli.ok(root, secret, nil, "sns", "publish", "--topic-arn", topic.TopicArn, "--subject", "web failed",
		"--message-structure", "json", "--message", `{"default":"for others","email":"Pipeline web failed in Build."}`)
	m, text = smtpd.Next(t, 1)
	require.Equal(t, "web failed", m.Header.Get("Subject"))
	require.Contains(t, text, "Pipeline web failed in Build.")
	require.NotContains(t, text, "for others")
	unsub := ""
	for _, u := range link.FindAllString(text, -1) {
		if strings.Contains(u, "/unsubscribe.html?") {
			unsub = u
		}
	}
	require.NotEmpty(t, unsub, text)
	require.Contains(t, pageGet(t, unsub), "Subscription removed!")
	cli.ok(root, secret, &listed, "sns", "list-subscriptions-by-topic", "--topic-arn", topic.TopicArn)
	require.Empty(t, listed.Subscriptions)
}
