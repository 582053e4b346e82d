package node_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/stretchr/testify/require"
)

func tags(kv ...string) []types.Tag {
	var out []types.Tag
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, types.Tag{Key: aws.String(kv[i]), Value: aws.String(kv[i+1])})
	}
	return out
}

func (c *conformance) tagsOf(t *testing.T, arn string) map[string]string {
	t.Helper()
	out := map[string]string{}
	pages := codepipeline.NewListTagsForResourcePaginator(c.CP, &codepipeline.ListTagsForResourceInput{ResourceArn: aws.String(arn)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(c.ctx)
		require.NoError(t, err)
		for _, tg := range page.Tags {
			out[aws.ToString(tg.Key)] = aws.ToString(tg.Value)
		}
	}
	return out
}

func TestTags(t *testing.T) {
	t.Parallel()
	c := setupConformance(t)
	arnOf := func(t *testing.T, name string) string {
		out, err := c.CP.GetPipeline(c.ctx, &codepipeline.GetPipelineInput{Name: aws.String(name)})
		require.NoError(t, err)
		return aws.ToString(out.Metadata.PipelineArn)
	}

	t.Run("CreateTagUntagList", func(t *testing.T) {
		t.Parallel()
		out, err := c.CP.CreatePipeline(c.ctx, &codepipeline.CreatePipelineInput{Pipeline: pipeline("tagged", stage("Hold", approval("Hold"))),
			Tags: tags("team", "core", "cost-center", "42")})
		require.NoError(t, err)
		require.ElementsMatch(t, tags("team", "core", "cost-center", "42"), out.Tags)
		arn := arnOf(t, "tagged")
		require.Equal(t, map[string]string{"team": "core", "cost-center": "42"}, c.tagsOf(t, arn))

		_, err = c.CP.TagResource(c.ctx, &codepipeline.TagResourceInput{ResourceArn: aws.String(arn), Tags: tags("env", "prod", "team", "platform")})
		require.NoError(t, err)
		require.Equal(t, map[string]string{"team": "platform", "cost-center": "42", "env": "prod"}, c.tagsOf(t, arn))

		_, err = c.CP.UntagResource(c.ctx, &codepipeline.UntagResourceInput{ResourceArn: aws.String(arn), TagKeys: []string{"team", "absent"}})
		require.NoError(t, err)
		require.Equal(t, map[string]string{"cost-center": "42", "env": "prod"}, c.tagsOf(t, arn))
	})

	t.Run("ListPaginates", func(t *testing.T) {
		t.Parallel()
		_, err := c.CP.CreatePipeline(c.ctx, &codepipeline.CreatePipelineInput{Pipeline: pipeline("many-tags", stage("Hold", approval("Hold"))),
			Tags: tags("a", "1", "b", "2", "c", "3", "d", "4", "e", "5")})
		require.NoError(t, err)
		arn := arnOf(t, "many-tags")
		var keys []string
		pages := codepipeline.NewListTagsForResourcePaginator(c.CP, &codepipeline.ListTagsForResourceInput{ResourceArn: aws.String(arn), MaxResults: aws.Int32(2)})
		n := 0
		for pages.HasMorePages() {
			page, err := pages.NextPage(c.ctx)
			require.NoError(t, err)
			for _, tg := range page.Tags {
				keys = append(keys, aws.ToString(tg.Key))
			}
			n++
		}
		require.Equal(t, 3, n)
		require.Equal(t, []string{"a", "b", "c", "d", "e"}, keys)

		_, err = c.CP.ListTagsForResource(c.ctx, &codepipeline.ListTagsForResourceInput{ResourceArn: aws.String(arn), NextToken: aws.String(madeUpToken)})
		requireAPIError(t, err, "InvalidNextTokenException", "token")
		for _, n := range []int32{0, 101} {
			_, err = c.CP.ListTagsForResource(c.ctx, &codepipeline.ListTagsForResourceInput{ResourceArn: aws.String(arn), MaxResults: aws.Int32(n)})
			requireAPIError(t, err, "ValidationException", "maxResults")
		}
	})

	t.Run("ErrSystemTagPrefix", func(t *testing.T) {
		t.Parallel()
		_, err := c.CP.CreatePipeline(c.ctx, &codepipeline.CreatePipelineInput{Pipeline: pipeline("aws-tagged", stage("Hold", approval("Hold"))),
			Tags: tags("aws:owner", "me")})
		requireAPIError(t, err, "InvalidTagsException", "aws:")
		_, err = c.CP.GetPipeline(c.ctx, &codepipeline.GetPipelineInput{Name: aws.String("aws-tagged")})
		requireAPIError(t, err, "PipelineNotFoundException", "aws-tagged")

		c.Create(t, pipeline("plain", stage("Hold", approval("Hold"))))
		arn := arnOf(t, "plain")
		_, err = c.CP.TagResource(c.ctx, &codepipeline.TagResourceInput{ResourceArn: aws.String(arn), Tags: tags("aws:owner", "me")})
		requireAPIError(t, err, "InvalidTagsException", "aws:")
		_, err = c.CP.UntagResource(c.ctx, &codepipeline.UntagResourceInput{ResourceArn: aws.String(arn), TagKeys: []string{"aws:owner"}})
		requireAPIError(t, err, "InvalidTagsException", "aws:")
		require.Empty(t, c.tagsOf(t, arn))
	})

	t.Run("ErrTooManyTags", func(t *testing.T) {
		t.Parallel()
		c.Create(t, pipeline("crowded", stage("Hold", approval("Hold"))))
		arn := arnOf(t, "crowded")
		var many []string
		for i := range 51 {
			many = append(many, "k"+string(rune('A'+i/26))+string(rune('a'+i%26)), "v")
		}
		_, err := c.CP.TagResource(c.ctx, &codepipeline.TagResourceInput{ResourceArn: aws.String(arn), Tags: tags(many...)})
		requireAPIError(t, err, "TooManyTagsException", "50")
		require.Empty(t, c.tagsOf(t, arn))
	})

	t.Run("ErrUnknownResource", func(t *testing.T) {
		t.Parallel()
		arn := "arn:aws:codepipeline:us-east-1:000000000000:never-created"
		_, err := c.CP.ListTagsForResource(c.ctx, &codepipeline.ListTagsForResourceInput{ResourceArn: aws.String(arn)})
		requireAPIError(t, err, "ResourceNotFoundException", "never-created")
		_, err = c.CP.TagResource(c.ctx, &codepipeline.TagResourceInput{ResourceArn: aws.String(arn), Tags: tags("a", "b")})
		requireAPIError(t, err, "ResourceNotFoundException", "never-created")
		_, err = c.CP.UntagResource(c.ctx, &codepipeline.UntagResourceInput{ResourceArn: aws.String(arn), TagKeys: []string{"a"}})
		requireAPIError(t, err, "ResourceNotFoundException", "never-created")
	})

	t.Run("ErrMalformedArn", func(t *testing.T) {
		t.Parallel()
		for _, arn := range []string{"not-an-arn", "arn:aws:s3:::bucket"} {
			_, err := c.CP.ListTagsForResource(c.ctx, &codepipeline.ListTagsForResourceInput{ResourceArn: aws.String(arn)})
			requireAPIError(t, err, "InvalidArnException", arn)
			_, err = c.CP.TagResource(c.ctx, &codepipeline.TagResourceInput{ResourceArn: aws.String(arn), Tags: tags("a", "b")})
			requireAPIError(t, err, "InvalidArnException", arn)
		}
	})
}
