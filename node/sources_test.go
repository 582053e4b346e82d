package node_test

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/stretchr/testify/require"

	"sluice/config"
	"sluice/ociregistry/registrytest"
)

// sourcePipeline declares a V2 pipeline whose source stage is one action of provider
// (namespace Src, output artifact "Code"), followed by a Check action that records the
// content of FILE in its output variable CONTENT.
func sourcePipeline(name, provider string, cfg map[string]string, file string) *types.PipelineDeclaration {
	p := pipeline(name)
	src := &p.Stages[0].Actions[0]
	src.ActionTypeId.Provider, src.Configuration, src.Namespace = aws.String(provider), cfg, aws.String("Src")
	check := cmdAction("Check", "CONTENT=$(cat "+file+")")
	check.OutputVariables = []string{"CONTENT"}
	p.Stages = append(p.Stages, stage("Check", check))
	return p
}

// outputs returns each action's output variables in one execution.
func (c *conformance) outputs(t *testing.T, pipeline, exec string) map[string]map[string]string {
	t.Helper()
	out := map[string]map[string]string{}
	for _, r := range c.ActionRuns(t, pipeline, exec) {
		out[aws.ToString(r.ActionName)] = r.Output.OutputVariables
	}
	return out
}

// pollOnce runs one round of the server's source poller and returns the executions the
// pipeline has then, newest first.
func (c *conformance) pollOnce(t *testing.T, pipeline string) []types.PipelineExecutionSummary {
	t.Helper()
	require.NoError(t, c.Node.ObjectRound.PollOnce(c.ctx))
	return c.Executions(t, pipeline)
}

// TestS3Source runs a pipeline from a zip in a versioned bucket of versitygw, then lets the
// poller find a new version.
func TestS3Source(t *testing.T) {
	t.Parallel()
	gw := startGateway(t)
	ctx := context.Background()
	_, err := gw.s3.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("sources")})
	require.NoError(t, err)
	_, err = gw.s3.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: aws.String("sources"),
		VersioningConfiguration: &s3types.VersioningConfiguration{Status: s3types.BucketVersioningStatusEnabled}})
	require.NoError(t, err)
	upload := func(content, summary string) (string, string) {
		out, err := gw.s3.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("sources"), Key: aws.String("app/source.zip"),
			Body: bytes.NewReader(zipped(t, "app.txt", content)), Metadata: map[string]string{"codepipeline-artifact-revision-summary": summary}})
		require.NoError(t, err)
		return aws.ToString(out.VersionId), aws.ToString(out.ETag)
	}
	v1, etag1 := upload("one", "First upload")
	require.NotEmpty(t, v1, "the bucket is versioned")
	c := setupConformanceWith(t, func(cfg *config.Server) {
		cfg.S3Endpoint, cfg.S3Region, cfg.S3AccessKeyID, cfg.S3SecretAccessKey = gw.endpoint, gwRegion, gwAccessKey, gwSecretKey
		cfg.PollInterval = 0 // the test runs the rounds
	})

	exec := c.Create(t, sourcePipeline("objects", "S3", map[string]string{"S3Bucket": "sources", "S3ObjectKey": "app/source.zip"}, "app.txt"))
	c.WaitStatus(t, "objects", exec, types.PipelineExecutionStatusSucceeded)
	got := c.Execution(t, "objects", exec)
	require.Len(t, got.ArtifactRevisions, 1)
	rev := got.ArtifactRevisions[0]
	require.Equal(t, v1, aws.ToString(rev.RevisionId))
	require.Equal(t, "First upload", aws.ToString(rev.RevisionSummary))
	require.Equal(t, trimQuotes(etag1), aws.ToString(rev.RevisionChangeIdentifier))
	outs := c.outputs(t, "objects", exec)
	require.Equal(t, "one", outs["Check"]["CONTENT"])
	require.Equal(t, map[string]string{"ETag": trimQuotes(etag1), "VersionId": v1, "ObjectKey": "app/source.zip"}, outs["Source"])

	require.Len(t, c.pollOnce(t, "objects"), 1, "the version the pipeline ran starts nothing")

	v2, _ := upload("two", "Second upload")
	execs := c.pollOnce(t, "objects")
	require.Len(t, execs, 2)
	exec2 := aws.ToString(execs[0].PipelineExecutionId)
	require.Equal(t, types.TriggerTypePollForSourceChanges, execs[0].Trigger.TriggerType)
	require.Equal(t, "arn:aws:s3:::sources/app/source.zip", aws.ToString(execs[0].Trigger.TriggerDetail))
	require.Equal(t, v2, aws.ToString(execs[0].SourceRevisions[0].RevisionId), "pinned to the new version at once")
	c.WaitStatus(t, "objects", exec2, types.PipelineExecutionStatusSucceeded)
	require.Equal(t, "two", c.outputs(t, "objects", exec2)["Check"]["CONTENT"])

	require.Len(t, c.pollOnce(t, "objects"), 2, "polling an unchanged object starts nothing")
}

// TestImageSource runs a pipeline from an image tag of a real registry (Debian's
// docker-registry), then lets the poller find the tag moved to a new digest.
func TestImageSource(t *testing.T) {
	t.Parallel()
	reg := registrytest.Start(t, registrytest.Anonymous)
	created := time.Date(2026, 2, 3, 4, 5, 6, 0, time.UTC)
	img1 := reg.PushImage(t, "team/web", "latest", []byte("first layer"), created)
	c := setupConformanceWith(t, func(cfg *config.Server) {
		cfg.Registry, cfg.PollInterval = reg.URL, 0
	})

	exec := c.Create(t, sourcePipeline("images", "ECR", map[string]string{"RepositoryName": "team/web"}, "imageDetail.json"))
	c.WaitStatus(t, "images", exec, types.PipelineExecutionStatusSucceeded)
	require.Equal(t, img1.Digest, aws.ToString(c.Execution(t, "images", exec).ArtifactRevisions[0].RevisionId))
	outs := c.outputs(t, "images", exec)
	uri := reg.Host + "/team/web@" + img1.Digest
	require.Equal(t, map[string]string{"ImageDigest": img1.Digest, "ImageTag": "latest", "ImageURI": uri,
		"RegistryId": reg.Host, "RepositoryName": "team/web"}, outs["Source"])
	require.JSONEq(t, `{"ImageSizeInBytes": "11", "ImageDigest": "`+img1.Digest+`", "Version": "1.0",
		"ImagePushedAt": "Tue Feb  3 04:05:06 UTC 2026", "RegistryId": "`+reg.Host+`", "RepositoryName": "team/web",
		"ImageURI": "`+uri+`", "ImageTags": ["latest"]}`, outs["Check"]["CONTENT"])

	require.Len(t, c.pollOnce(t, "images"), 1, "the digest the pipeline ran starts nothing")

	img2 := reg.PushImage(t, "team/web", "latest", []byte("second layer"), created.Add(time.Hour))
	execs := c.pollOnce(t, "images")
	require.Len(t, execs, 2)
	exec2 := aws.ToString(execs[0].PipelineExecutionId)
	require.Equal(t, types.TriggerTypeCloudWatchEvent, execs[0].Trigger.TriggerType)
	require.Equal(t, "team/web:latest", aws.ToString(execs[0].Trigger.TriggerDetail))
	require.Equal(t, img2.Digest, aws.ToString(execs[0].SourceRevisions[0].RevisionId))
	c.WaitStatus(t, "images", exec2, types.PipelineExecutionStatusSucceeded)
	require.Contains(t, c.outputs(t, "images", exec2)["Check"]["CONTENT"], `"ImageDigest": "`+img2.Digest+`"`)

	require.Len(t, c.pollOnce(t, "images"), 2, "polling an unchanged tag starts nothing")
}

func zipped(t *testing.T, name, content string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create(name)
	require.NoError(t, err)
	_, err = io.WriteString(w, content)
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

func trimQuotes(s string) string { return s[1 : len(s)-1] }
