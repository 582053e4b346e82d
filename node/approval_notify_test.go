package node_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/stretchr/testify/require"

	"sluice/config"
	"sluice/node/nodetest"
)

// TestApprovalNotification: an approval whose NotificationArn names a topic publishes AWS's
// approval message to it when it starts waiting, once; an SNS subscriber that checks
// signatures receives it, and its review link, followed as a reviewer would in a browser
// (sign in, then the page), opens the approval and answers it.
func TestApprovalNotification(t *testing.T) {
	t.Parallel()
	requireAWSCLI(t)
	b := nodetest.SetupWith(t, func(c *config.Server) { c.AllowLocalDestinations = true })
	b.SeedRepo(t, nodetest.SrcRepo)
	cli := iamCLI{t, b.URL}
	root, secret := nodetest.KeyID, nodetest.Secret
	rcv := nodetest.NewSNSReceiver(t, http.DefaultClient)

	var topic struct{ TopicArn string }
	cli.ok(root, secret, &topic, "sns", "create-topic", "--name", "approvals")
	cli.ok(root, secret, nil, "sns", "subscribe", "--topic-arn", topic.TopicArn, "--protocol", "http", "--notification-endpoint", rcv.URL)
	<-rcv.Confirmations

	gate := nodetest.Approval("Approve")
	gate.Configuration = map[string]string{"NotificationArn": topic.TopicArn, "CustomData": "Check the canary dashboard",
		"ExternalEntityLink": "https://grafana.example.com/d/canary"}
	exec := b.Create(t, nodetest.Pipeline("appr", nodetest.Stage("Gate", gate), nodetest.Stage("Ship", nodetest.CmdAction("Ship", "true"))))
	token := b.ApprovalToken(t, "appr", "Gate", "Approve")

	var m nodetest.SNSMessage
	select {
	case m = <-rcv.Notifications:
	case err := <-rcv.Invalid:
		t.Fatalf("the receiver refused a message: %v", err)
	}
	require.Equal(t, topic.TopicArn, m.TopicARN)
	require.Equal(t, "APPROVAL NEEDED: AWS CodePipeline appr for action Approve", m.Subject)
	var msg struct {
		Region      string `json:"region"`
		ConsoleLink string `json:"consoleLink"`
		Approval    struct {
			PipelineName, StageName, ActionName, Token, Expires string
			ExternalEntityLink, ApprovalReviewLink, CustomData  string
		} `json:"approval"`
	}
	require.NoError(t, json.Unmarshal([]byte(m.Message), &msg), m.Message)
	a := msg.Approval
	require.Equal(t, b.Node.Config.Region, msg.Region)
	require.Equal(t, b.URL+"/pipelines/appr", msg.ConsoleLink)
	require.Equal(t, []string{"appr", "Gate", "Approve", token}, []string{a.PipelineName, a.StageName, a.ActionName, a.Token})
	require.Equal(t, "Check the canary dashboard", a.CustomData)
	require.Equal(t, "https://grafana.example.com/d/canary", a.ExternalEntityLink)
	require.Regexp(t, `^\d{4}-\d\d-\d\dT\d\d:\d\dZ$`, a.Expires, "minute precision, as AWS writes it")
	require.Equal(t, b.URL+"/pipelines/appr#approve-Gate-Approve", a.ApprovalReviewLink)
	b.WaitFor(t, "the delivery counted in the metrics", func() bool {
		resp, err := http.Get(b.URL + "/metrics")
		require.NoError(t, err)
		return strings.Contains(readAll(t, resp), `sluice_delivery_attempts_total{outcome="delivered",protocol="http"} 2`)
	}) // the subscription's confirmation and the approval's message

	// A reviewer opens the link: asked to sign in first, then on the approval.
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	web := &http.Client{Jar: jar}
	resp, body := getBody(t, web, a.ApprovalReviewLink)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Contains(t, body, `name="secret_access_key"`, "the sign-in page")
	next := resp.Request.URL.Query().Get("next")
	require.Equal(t, "/pipelines/appr", next)
	resp, err = web.PostForm(b.URL+"/signin", url.Values{"access_key_id": {root}, "secret_access_key": {secret}, "next": {next}})
	require.NoError(t, err)
	page := readAll(t, resp)
	require.Contains(t, page, `id="approve-Gate-Approve"`, "the link's anchor is on the page")
	require.Contains(t, page, "Check the canary dashboard")
	require.Contains(t, page, `name="token" value="`+token+`"`)
	csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(page)[1]
	resp, err = web.PostForm(b.URL+"/pipelines/appr/approve", url.Values{"csrf": {csrf}, "stage": {"Gate"}, "action": {"Approve"},
		"token": {token}, "result": {"Approved"}, "comment": {"canary is green"}})
	require.NoError(t, err)
	require.Contains(t, readAll(t, resp), "Approved")
	b.WaitStatus(t, "appr", exec, types.PipelineExecutionStatusSucceeded)

	// One message per approval: nothing more came for this one.
	select {
	case extra := <-rcv.Notifications:
		t.Fatalf("a second message: %s", extra.Message)
	default:
	}
	require.Equal(t, "canary is green", aws.ToString(nodetest.StageState(t, b.State(t, "appr"), "Gate").ActionStates[0].LatestExecution.Summary))
}

func readAll(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode, string(body))
	return string(body)
}
