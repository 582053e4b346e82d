package node_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/stretchr/testify/require"
)

// hookDef is a GITHUB_HMAC webhook on the Source action of pipeline p.
func hookDef(name, p string) *types.WebhookDefinition {
	return &types.WebhookDefinition{Name: aws.String(name), TargetPipeline: aws.String(p), TargetAction: aws.String("Source"),
		Filters:                     []types.WebhookFilterRule{{JsonPath: aws.String("$.ref"), MatchEquals: aws.String("refs/heads/{BranchName}")}},
		Authentication:              types.WebhookAuthenticationTypeGithubHmac,
		AuthenticationConfiguration: &types.WebhookAuthConfiguration{SecretToken: aws.String("s3cret")}}
}

// hookPipeline creates a pipeline whose Source action (CodeCommit, branch main) webhooks target.
func hookPipeline(t *testing.T, c *conformance, name string) string {
	t.Helper()
	return c.Create(t, pipeline(name, stage("Build", cmdAction("Echo", "true"))))
}

func (c *conformance) webhooks(t *testing.T) []types.ListWebhookItem {
	t.Helper()
	var out []types.ListWebhookItem
	pages := codepipeline.NewListWebhooksPaginator(c.CP, &codepipeline.ListWebhooksInput{MaxResults: aws.Int32(2)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(c.ctx)
		require.NoError(t, err)
		require.LessOrEqual(t, len(page.Webhooks), 2)
		out = append(out, page.Webhooks...)
	}
	return out
}

func TestWebhookAPI(t *testing.T) {
	t.Parallel()
	c := setupConformance(t)
	hookPipeline(t, c, "hooked")

	t.Run("PutListDelete", func(t *testing.T) {
		t.Parallel()
		out, err := c.CP.PutWebhook(c.ctx, &codepipeline.PutWebhookInput{Webhook: hookDef("gh", "hooked"),
			Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("a")}}})
		require.NoError(t, err)
		w := out.Webhook
		require.Equal(t, "arn:aws:codepipeline:us-east-1:"+c.Node.Config.Account+":webhook:gh", aws.ToString(w.Arn))
		require.True(t, strings.HasPrefix(aws.ToString(w.Url), c.URL+"/trigger?t="), aws.ToString(w.Url))
		require.Equal(t, "****", aws.ToString(w.Definition.AuthenticationConfiguration.SecretToken), "the secret is never answered")
		require.Equal(t, "refs/heads/{BranchName}", aws.ToString(w.Definition.Filters[0].MatchEquals))
		require.Equal(t, []types.Tag{{Key: aws.String("team"), Value: aws.String("a")}}, w.Tags)
		require.Nil(t, w.LastTriggered)

		def := hookDef("gh", "hooked")
		def.Filters = append(def.Filters, types.WebhookFilterRule{JsonPath: aws.String("$.after")})
		again, err := c.CP.PutWebhook(c.ctx, &codepipeline.PutWebhookInput{Webhook: def})
		require.NoError(t, err)
		require.Equal(t, aws.ToString(w.Url), aws.ToString(again.Webhook.Url), "an update keeps the URL")
		require.Len(t, again.Webhook.Definition.Filters, 2)

		tags, err := c.CP.ListTagsForResource(c.ctx, &codepipeline.ListTagsForResourceInput{ResourceArn: w.Arn})
		require.NoError(t, err)
		require.Len(t, tags.Tags, 1, "a webhook's ARN takes tags")

		_, err = c.CP.DeleteWebhook(c.ctx, &codepipeline.DeleteWebhookInput{Name: aws.String("gh")})
		require.NoError(t, err)
		_, err = c.CP.DeleteWebhook(c.ctx, &codepipeline.DeleteWebhookInput{Name: aws.String("gh")})
		require.NoError(t, err, "deleting an absent webhook is no error")
		for _, w := range c.webhooks(t) {
			require.NotEqual(t, "gh", aws.ToString(w.Definition.Name))
		}

		recreated, err := c.CP.PutWebhook(c.ctx, &codepipeline.PutWebhookInput{Webhook: hookDef("gh", "hooked")})
		require.NoError(t, err)
		require.NotEqual(t, aws.ToString(w.Url), aws.ToString(recreated.Webhook.Url), "a re-created webhook has a new URL")
		_, err = c.CP.DeleteWebhook(c.ctx, &codepipeline.DeleteWebhookInput{Name: aws.String("gh")})
		require.NoError(t, err)
	})

	t.Run("ListPages", func(t *testing.T) {
		t.Parallel()
		for _, n := range []string{"list-c", "list-a", "list-b"} {
			_, err := c.CP.PutWebhook(c.ctx, &codepipeline.PutWebhookInput{Webhook: hookDef(n, "hooked")})
			require.NoError(t, err)
		}
		var names []string
		for _, w := range c.webhooks(t) { // the other subtests' webhooks come and go
			require.Equal(t, "****", aws.ToString(w.Definition.AuthenticationConfiguration.SecretToken))
			if n := aws.ToString(w.Definition.Name); strings.HasPrefix(n, "list-") {
				names = append(names, n)
			}
		}
		require.Equal(t, []string{"list-a", "list-b", "list-c"}, names)
		_, err := c.CP.ListWebhooks(c.ctx, &codepipeline.ListWebhooksInput{NextToken: aws.String("bogus")})
		requireAPIError(t, err, "InvalidNextTokenException", "next token")
		for _, n := range names {
			_, err := c.CP.DeleteWebhook(c.ctx, &codepipeline.DeleteWebhookInput{Name: aws.String(n)})
			require.NoError(t, err)
		}
	})

	t.Run("RegisterDeregister", func(t *testing.T) {
		t.Parallel()
		_, err := c.CP.PutWebhook(c.ctx, &codepipeline.PutWebhookInput{Webhook: hookDef("reg", "hooked")})
		require.NoError(t, err)
		_, err = c.CP.RegisterWebhookWithThirdParty(c.ctx, &codepipeline.RegisterWebhookWithThirdPartyInput{WebhookName: aws.String("reg")})
		require.NoError(t, err)
		_, err = c.CP.DeregisterWebhookWithThirdParty(c.ctx, &codepipeline.DeregisterWebhookWithThirdPartyInput{WebhookName: aws.String("reg")})
		require.NoError(t, err)
		// The SDK drops the message of WebhookNotFoundException, a shape without members.
		_, err = c.CP.RegisterWebhookWithThirdParty(c.ctx, &codepipeline.RegisterWebhookWithThirdPartyInput{WebhookName: aws.String("nope")})
		requireAPIError(t, err, "WebhookNotFoundException", "")
		err = c.SignedCall(c.ctx, "CodePipeline_20150709.RegisterWebhookWithThirdParty", map[string]string{"webhookName": "nope"}, nil)
		require.ErrorContains(t, err, "Webhook nope does not exist.")
		_, err = c.CP.DeregisterWebhookWithThirdParty(c.ctx, &codepipeline.DeregisterWebhookWithThirdPartyInput{WebhookName: aws.String("nope")})
		requireAPIError(t, err, "WebhookNotFoundException", "")
		_, err = c.CP.RegisterWebhookWithThirdParty(c.ctx, &codepipeline.RegisterWebhookWithThirdPartyInput{})
		requireAPIError(t, err, "WebhookNotFoundException", "")
		_, err = c.CP.DeleteWebhook(c.ctx, &codepipeline.DeleteWebhookInput{Name: aws.String("reg")})
		require.NoError(t, err)
	})
}

// TestWebhookRefusals sends every refused definition and checks nothing was stored.
func TestWebhookRefusals(t *testing.T) {
	t.Parallel()
	c := setupConformance(t)
	hookPipeline(t, c, "hooked")
	auth := func(kind types.WebhookAuthenticationType, secret, cidr string) func(*types.WebhookDefinition) {
		return func(d *types.WebhookDefinition) {
			d.Authentication, d.AuthenticationConfiguration = kind, &types.WebhookAuthConfiguration{}
			if secret != "" {
				d.AuthenticationConfiguration.SecretToken = aws.String(secret)
			}
			if cidr != "" {
				d.AuthenticationConfiguration.AllowedIPRange = aws.String(cidr)
			}
		}
	}
	tests := []struct {
		name       string
		edit       func(*types.WebhookDefinition)
		tags       []types.Tag
		code, says string
	}{
		{"ErrName", func(d *types.WebhookDefinition) { d.Name = aws.String("a b") }, nil, "ValidationException", "webhook.name"},
		{"ErrPipelineNotFound", func(d *types.WebhookDefinition) { d.TargetPipeline = aws.String("nope") }, nil,
			"PipelineNotFoundException", "'nope'"},
		{"ErrActionNotInSourceStage", func(d *types.WebhookDefinition) { d.TargetAction = aws.String("Echo") }, nil,
			"ValidationException", "webhook.targetAction"},
		{"ErrTooManyFilters", func(d *types.WebhookDefinition) {
			for range 5 {
				d.Filters = append(d.Filters, types.WebhookFilterRule{JsonPath: aws.String("$.ref")})
			}
		}, nil, "ValidationException", "webhook.filters"},
		{"ErrLongJsonPath", func(d *types.WebhookDefinition) { d.Filters[0].JsonPath = aws.String("$." + strings.Repeat("a", 150)) }, nil,
			"ValidationException", "webhook.filters.1.member.jsonPath"},
		{"ErrJsonPathDeepScan", func(d *types.WebhookDefinition) { d.Filters[0].JsonPath = aws.String("$..ref") }, nil,
			"InvalidWebhookFilterPatternException", "filter 1"},
		{"ErrJsonPathNoRoot", func(d *types.WebhookDefinition) { d.Filters[0].JsonPath = aws.String("ref") }, nil,
			"InvalidWebhookFilterPatternException", "must start with $"},
		{"ErrHMACWithoutSecret", auth(types.WebhookAuthenticationTypeGithubHmac, "", ""), nil,
			"InvalidWebhookAuthenticationParametersException", "SecretToken"},
		{"ErrHMACWithIPRange", auth(types.WebhookAuthenticationTypeGithubHmac, "s", "10.0.0.0/8"), nil,
			"InvalidWebhookAuthenticationParametersException", "AllowedIPRange"},
		{"ErrIPNotCIDR", auth(types.WebhookAuthenticationTypeIp, "", "10.0.0.300/8"), nil,
			"InvalidWebhookAuthenticationParametersException", "10.0.0.300/8"},
		{"ErrIPWithSecret", auth(types.WebhookAuthenticationTypeIp, "s", "10.0.0.0/8"), nil,
			"InvalidWebhookAuthenticationParametersException", "SecretToken"},
		{"ErrUnauthenticatedWithSecret", auth(types.WebhookAuthenticationTypeUnauthenticated, "s", ""), nil,
			"InvalidWebhookAuthenticationParametersException", "UNAUTHENTICATED"},
		{"ErrAuthEnum", func(d *types.WebhookDefinition) { d.Authentication = "OAUTH" }, nil, "ValidationException", "webhook.authentication"},
		{"ErrSystemTag", nil, []types.Tag{{Key: aws.String("aws:x"), Value: aws.String("v")}}, "InvalidTagsException", "aws:"},
		{"ErrTooManyTags", nil, manyTags(51), "TooManyTagsException", "50"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := hookDef("refused", "hooked")
			if tt.edit != nil {
				tt.edit(d)
			}
			_, err := c.CP.PutWebhook(c.ctx, &codepipeline.PutWebhookInput{Webhook: d, Tags: tt.tags})
			requireAPIError(t, err, tt.code, tt.says)
			require.Empty(t, c.webhooks(t), "a refused webhook stores nothing")
		})
	}
	t.Run("ErrMissingMembers", func(t *testing.T) {
		t.Parallel()
		// The SDK checks required members itself, so the request is sent unchecked.
		err := c.SignedCall(c.ctx, "CodePipeline_20150709.PutWebhook", map[string]any{"webhook": map[string]any{"name": "refused"}}, nil)
		require.ErrorContains(t, err, "ValidationException")
		for _, member := range []string{"webhook.targetPipeline", "webhook.targetAction", "webhook.filters", "webhook.authentication",
			"webhook.authenticationConfiguration"} {
			require.ErrorContains(t, err, "'"+member+"'")
		}
		require.Empty(t, c.webhooks(t))
	})
}

func manyTags(n int) []types.Tag {
	out := make([]types.Tag, n)
	for i := range out {
		out[i] = types.Tag{Key: aws.String(fmt.Sprintf("k%d", i)), Value: aws.String("v")}
	}
	return out
}
