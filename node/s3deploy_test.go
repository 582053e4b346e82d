package node_test

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codecommit"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/stretchr/testify/require"

	"sluice/config"
)

// deploySite pushes a small site to a new repository whose pipeline deploys it with an S3
// deploy action configured by cfg (Extract true), and waits for the execution to succeed.
func deploySite(t *testing.T, b *bundle, cfg map[string]string) {
	t.Helper()
	ctx := context.Background()
	_, err := b.CC.CreateRepository(ctx, &codecommit.CreateRepositoryInput{RepositoryName: aws.String(srcRepo)})
	require.NoError(t, err)
	cfg["Extract"] = "true"
	deploy := types.ActionDeclaration{Name: aws.String("Publish"),
		ActionTypeId: &types.ActionTypeId{Category: types.ActionCategoryDeploy, Owner: types.ActionOwnerAws,
			Provider: aws.String("S3"), Version: aws.String("1")},
		Configuration: cfg, InputArtifacts: []types.InputArtifact{{Name: aws.String("Code")}}}
	_, err = b.CP.CreatePipeline(ctx, &codepipeline.CreatePipelineInput{Pipeline: pipeline("site", stage("Deploy", deploy))})
	require.NoError(t, err)
	sha := pushFiles(t, b, srcRepo, map[string]string{"index.html": "<h1>v1</h1>\n", "css/site.css": "body {}\n"})
	b.WaitStatus(t, "site", b.ExecutionFor(t, "site", sha), types.PipelineExecutionStatusSucceeded)
}

func TestS3DeployThroughServer(t *testing.T) {
	t.Parallel()

	t.Run("DirectoryTarget", func(t *testing.T) {
		t.Parallel()
		dest := filepath.Join(t.TempDir(), "www")
		deploySite(t, setup(t), map[string]string{"BucketName": "file://" + dest, "ObjectKey": "live"})
		for name, want := range map[string]string{"index.html": "<h1>v1</h1>\n", "css/site.css": "body {}\n"} {
			got, err := os.ReadFile(filepath.Join(dest, "live", filepath.FromSlash(name)))
			require.NoError(t, err)
			require.Equal(t, want, string(got))
		}
	})
	t.Run("BucketTarget", func(t *testing.T) {
		t.Parallel()
		gw := startGateway(t)
		_, err := gw.s3.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String("site")})
		require.NoError(t, err)
		// Artifacts stay on disk: the S3 settings serve the deploy alone.
		b := setupWith(t, func(c *config.Server) {
			c.S3Endpoint, c.S3Region = gw.endpoint, gwRegion
			c.S3AccessKeyID, c.S3SecretAccessKey = gwAccessKey, gwSecretKey
		})
		deploySite(t, b, map[string]string{"BucketName": "site", "CacheControl": "no-cache"})
		require.ElementsMatch(t, []string{"index.html", "css/site.css"}, gw.keys(t, "site"))
		out, err := gw.s3.GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String("site"), Key: aws.String("index.html")})
		require.NoError(t, err)
		defer out.Body.Close()
		body, err := io.ReadAll(out.Body)
		require.NoError(t, err)
		require.Equal(t, "<h1>v1</h1>\n", string(body))
		require.Contains(t, aws.ToString(out.ContentType), "text/html")
		require.Equal(t, "no-cache", aws.ToString(out.CacheControl))
	})
}
