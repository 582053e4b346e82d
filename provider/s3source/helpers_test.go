package s3source_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"os"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/artifact/s3store"
	"sluice/artifact/s3store/s3test"
	"sluice/provider/s3source"
)

// gateway is versitygw, a real S3 server, running inside the test process.
var gateway s3test.Gateway

func TestMain(m *testing.M) {
	os.Exit(s3test.Run(m, &gateway))
}

type bundle struct {
	provider *s3source.Provider
	client   *s3.Client
	bucket   string
	log      *bytes.Buffer
}

// setup returns a provider reaching the gateway and a fresh bucket, versioned or not.
func setup(t *testing.T, versioned bool) *bundle {
	t.Helper()
	client := gateway.Require(t)
	bucket := fmt.Sprintf("source-%d", buckets.Add(1))
	_, err := client.CreateBucket(t.Context(), &s3.CreateBucketInput{Bucket: aws.String(bucket)})
	require.NoError(t, err)
	if versioned {
		_, err = client.PutBucketVersioning(t.Context(), &s3.PutBucketVersioningInput{Bucket: aws.String(bucket),
			VersioningConfiguration: &types.VersioningConfiguration{Status: types.BucketVersioningStatusEnabled}})
		require.NoError(t, err)
	}
	return &bundle{client: client, bucket: bucket, log: &bytes.Buffer{},
		provider: &s3source.Provider{S3: s3store.Config{Endpoint: gateway.Endpoint, Region: s3test.Region, PathStyle: true,
			AccessKeyID: s3test.AccessKey, SecretAccessKey: s3test.SecretKey}}}
}

var buckets atomic.Int64

// put uploads content at key, with a revision summary when summary is not empty, and
// returns the new version's id ("" in a bucket without versioning).
func (b *bundle) put(t *testing.T, key string, content []byte, summary string) string {
	t.Helper()
	in := &s3.PutObjectInput{Bucket: aws.String(b.bucket), Key: aws.String(key), Body: bytes.NewReader(content)}
	if summary != "" {
		in.Metadata = map[string]string{s3source.SummaryKey: summary}
	}
	out, err := b.client.PutObject(t.Context(), in)
	require.NoError(t, err)
	return aws.ToString(out.VersionId)
}

// run runs the action with cfg (S3Bucket defaults to the bundle's) pinned to pin.
func (b *bundle) run(t *testing.T, cfg map[string]string, pin *sluice.Revision) *sluice.Outcome {
	t.Helper()
	if _, ok := cfg["S3Bucket"]; !ok {
		cfg["S3Bucket"] = b.bucket
	}
	rc := &sluice.RunContext{
		Job: &sluice.Job{ID: "job-1", ActionType: s3source.TypeID, Data: sluice.JobData{ActionTypeID: s3source.TypeID,
			Configuration: cfg, Revision: pin, OutputArtifacts: []sluice.OutputArtifactRef{{ArtifactRef: sluice.ArtifactRef{Name: "Src", Key: "k"}}}}},
		WorkDir: t.TempDir(), ScratchDir: t.TempDir(), Log: b.log,
	}
	out, err := b.provider.Run(t.Context(), rc)
	require.NoError(t, err)
	return out
}

// zipOf makes a zip of files (name -> content).
func zipOf(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, content := range files {
		w, err := zw.Create(name)
		require.NoError(t, err)
		_, err = io.WriteString(w, content)
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

// artifact reads the output artifact's files.
func artifact(t *testing.T, out *sluice.Outcome) map[string]string {
	t.Helper()
	require.True(t, out.Success, out.ErrorMessage)
	zr, err := zip.OpenReader(out.Artifacts["Src"].ZipFile)
	require.NoError(t, err)
	defer zr.Close()
	got := map[string]string{}
	for _, f := range zr.File {
		r, err := f.Open()
		require.NoError(t, err)
		data, err := io.ReadAll(r)
		require.NoError(t, err)
		require.NoError(t, r.Close())
		got[f.Name] = string(data)
	}
	return got
}
