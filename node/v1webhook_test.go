package node_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/stretchr/testify/require"

	"sluice/hostevent/hosteventtest"
)

// v1Answer is the V1 webhook endpoint's answer.
type v1Answer struct {
	Message     string `json:"message"`
	ExecutionID string `json:"pipelineExecutionId"`
}

// deliver POSTs body with header to a webhook URL.
func deliver(t *testing.T, url string, header http.Header, body []byte) (int, v1Answer) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	require.NoError(t, err)
	for k, vs := range header {
		if k != "Content-Length" {
			req.Header[k] = vs
		}
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var a v1Answer
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&a))
	return resp.StatusCode, a
}

// putHook puts a webhook on pipeline p's Source action and returns it.
func (c *conformance) putHook(t *testing.T, name, p string, edit func(*types.WebhookDefinition)) *types.ListWebhookItem {
	t.Helper()
	d := hookDef(name, p)
	edit(d)
	out, err := c.CP.PutWebhook(c.ctx, &codepipeline.PutWebhookInput{Webhook: d})
	require.NoError(t, err)
	return out.Webhook
}

// signedPush sets a webhook to check the corpus's GitHub signatures of a push to master.
func signedPush(filters ...types.WebhookFilterRule) func(*types.WebhookDefinition) {
	return func(d *types.WebhookDefinition) {
		d.Filters = filters
		d.AuthenticationConfiguration = &types.WebhookAuthConfiguration{SecretToken: aws.String(hosteventtest.HMACSecret)}
	}
}

// webhook finds a webhook in ListWebhooks.
func (c *conformance) webhook(t *testing.T, name string) types.ListWebhookItem {
	t.Helper()
	for _, w := range c.webhooks(t) {
		if aws.ToString(w.Definition.Name) == name {
			return w
		}
	}
	t.Fatalf("webhook %s not listed", name)
	return types.ListWebhookItem{}
}

func rule(path, equals string) types.WebhookFilterRule {
	r := types.WebhookFilterRule{JsonPath: aws.String(path)}
	if equals != "" {
		r.MatchEquals = aws.String(equals)
	}
	return r
}

func authBy(kind types.WebhookAuthenticationType, cidr string) func(*types.WebhookDefinition) {
	return func(d *types.WebhookDefinition) {
		d.Authentication, d.AuthenticationConfiguration = kind, &types.WebhookAuthConfiguration{}
		if cidr != "" {
			d.AuthenticationConfiguration.AllowedIPRange = aws.String(cidr)
		}
	}
}

func TestV1WebhookTriggers(t *testing.T) {
	t.Parallel()
	c := setupConformance(t)
	push := hosteventtest.Get(t, "github-push-branch-commits") // a push to master, signed by GitHub

	t.Run("SignedPushStarts", func(t *testing.T) {
		t.Parallel()
		hookPipeline(t, c, "signed")
		hook := c.putHook(t, "signed", "signed", signedPush(rule("$.ref", "refs/heads/master"), rule("$.head_commit.id", "")))
		status, a := deliver(t, *hook.Url, push.Header, push.Body)
		require.Equal(t, http.StatusOK, status, a.Message)
		require.NotEmpty(t, a.ExecutionID)
		e := c.Execution(t, "signed", a.ExecutionID)
		require.Equal(t, types.TriggerTypeWebhook, e.Trigger.TriggerType)
		require.Equal(t, aws.ToString(hook.Arn), aws.ToString(e.Trigger.TriggerDetail))
		require.Len(t, c.Executions(t, "signed"), 2)
		require.NotNil(t, c.webhook(t, "signed").LastTriggered, "a start sets lastTriggered")
	})

	t.Run("LegacySHA1Signature", func(t *testing.T) {
		t.Parallel()
		hookPipeline(t, c, "sha1")
		hook := c.putHook(t, "sha1", "sha1", signedPush(rule("$.ref", "refs/heads/master")))
		h := push.Header.Clone()
		h.Del("X-Hub-Signature-256")
		status, a := deliver(t, *hook.Url, h, push.Body)
		require.Equal(t, http.StatusOK, status, a.Message)
		require.NotEmpty(t, a.ExecutionID)
	})

	t.Run("ErrWrongSignature", func(t *testing.T) {
		t.Parallel()
		hookPipeline(t, c, "forged")
		hook := c.putHook(t, "forged", "forged", signedPush(rule("$.ref", "refs/heads/master")))
		tampered := append(bytes.Clone(push.Body[:len(push.Body)-1]), ' ', '}')
		status, a := deliver(t, *hook.Url, push.Header, tampered)
		require.Equal(t, http.StatusForbidden, status)
		require.Contains(t, a.Message, "does not match")
		h := push.Header.Clone()
		h.Del("X-Hub-Signature-256")
		h.Del("X-Hub-Signature")
		status, _ = deliver(t, *hook.Url, h, push.Body)
		require.Equal(t, http.StatusForbidden, status, "an unsigned request")
		require.Len(t, c.Executions(t, "forged"), 1, "only CreatePipeline's execution")
	})

	t.Run("FilterDoesNotMatch", func(t *testing.T) {
		t.Parallel()
		hookPipeline(t, c, "other-branch")
		// The pipeline's source follows main; the push is to master.
		hook := c.putHook(t, "other-branch", "other-branch", signedPush(rule("$.ref", "refs/heads/{BranchName}")))
		status, a := deliver(t, *hook.Url, push.Header, push.Body)
		require.Equal(t, http.StatusOK, status)
		require.Empty(t, a.ExecutionID)
		require.Contains(t, a.Message, `filter 1: $.ref is "refs/heads/master", not "refs/heads/main"`)
		require.Len(t, c.Executions(t, "other-branch"), 1)
	})

	t.Run("IPLoopbackStarts", func(t *testing.T) {
		t.Parallel()
		hookPipeline(t, c, "loopback")
		hook := c.putHook(t, "loopback", "loopback", authBy(types.WebhookAuthenticationTypeIp, "127.0.0.0/8"))
		status, a := deliver(t, *hook.Url, http.Header{"Content-Type": {"application/json"}}, []byte(`{"ref":"refs/heads/main"}`))
		require.Equal(t, http.StatusOK, status, a.Message)
		require.NotEmpty(t, a.ExecutionID)
	})

	t.Run("ErrIPOutsideRange", func(t *testing.T) {
		t.Parallel()
		hookPipeline(t, c, "private")
		hook := c.putHook(t, "private", "private", authBy(types.WebhookAuthenticationTypeIp, "10.0.0.0/8"))
		h := http.Header{"Content-Type": {"application/json"}, "X-Forwarded-For": {"10.1.2.3"}}
		status, a := deliver(t, *hook.Url, h, []byte(`{"ref":"refs/heads/main"}`))
		require.Equal(t, http.StatusForbidden, status)
		require.Contains(t, a.Message, "127.0.0.1", "the connection's address counts, not X-Forwarded-For")
		require.Len(t, c.Executions(t, "private"), 1)
	})

	t.Run("UnauthenticatedStarts", func(t *testing.T) {
		t.Parallel()
		hookPipeline(t, c, "open")
		hook := c.putHook(t, "open", "open", authBy(types.WebhookAuthenticationTypeUnauthenticated, ""))
		// GitHub's form content type carries the JSON in a payload field.
		h := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
		status, a := deliver(t, *hook.Url, h, []byte("payload=%7B%22ref%22%3A%22refs%2Fheads%2Fmain%22%7D"))
		require.Equal(t, http.StatusOK, status, a.Message)
		require.NotEmpty(t, a.ExecutionID)
	})

	t.Run("ErrUnknownURL", func(t *testing.T) {
		t.Parallel()
		status, a := deliver(t, c.URL+"/trigger?t=nope&v=1", nil, []byte(`{}`))
		require.Equal(t, http.StatusNotFound, status)
		require.Contains(t, a.Message, "no webhook")
	})

	t.Run("PipelineGoneIsRecorded", func(t *testing.T) {
		t.Parallel()
		hookPipeline(t, c, "gone")
		hook := c.putHook(t, "gone", "gone", authBy(types.WebhookAuthenticationTypeUnauthenticated, ""))
		_, err := c.CP.DeletePipeline(c.ctx, &codepipeline.DeletePipelineInput{Name: aws.String("gone")})
		require.NoError(t, err)
		status, a := deliver(t, *hook.Url, nil, []byte(`{"ref":"refs/heads/main"}`))
		require.Equal(t, http.StatusNotFound, status)
		require.Contains(t, a.Message, "Pipeline gone does not exist.")
		w := c.webhook(t, "gone")
		require.Equal(t, "PipelineNotFound", aws.ToString(w.ErrorCode))
		require.Equal(t, "Pipeline gone does not exist.", aws.ToString(w.ErrorMessage))
		require.Nil(t, w.LastTriggered)
	})
}
