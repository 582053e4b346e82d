package s3deploy_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/artifact/s3store"
	"sluice/artifact/s3store/s3test"
	"sluice/provider/s3deploy"
)

// gateway is versitygw, a real S3 server, running inside the test process.
var gateway s3test.Gateway

func TestMain(m *testing.M) {
	os.Exit(s3test.Run(m, &gateway))
}

// site is the input artifact most tests deploy.
var site = map[string]string{
	"index.html":        "<h1>hello</h1>\n",
	"css/site.css":      "body { color: red }\n",
	"img/logo.png":      "\x89PNG\r\n\x1a\nnot really",
	"data/blob.sluicex": "no known type",
}

type bundle struct {
	provider *s3deploy.Provider
	rc       *sluice.RunContext
	log      *bytes.Buffer
}

// setup returns a job deploying files (path -> content) with the given configuration.
func setup(t *testing.T, files map[string]string, cfg map[string]string) *bundle {
	t.Helper()
	work := t.TempDir()
	writeFiles(t, work, files)
	log := &bytes.Buffer{}
	return &bundle{
		provider: &s3deploy.Provider{},
		log:      log,
		rc: &sluice.RunContext{
			Job: &sluice.Job{ID: "job-1", ActionType: s3deploy.TypeID, Data: sluice.JobData{
				ActionTypeID: s3deploy.TypeID, Configuration: cfg,
				InputArtifacts: []sluice.ArtifactRef{{Name: "Site", Key: "k"}},
			}},
			WorkDir:    work,
			InputDirs:  map[string]string{"Site": work},
			ScratchDir: t.TempDir(),
			Log:        log,
		},
	}
}

// setupS3 is setup with a provider that reaches the gateway, and a fresh bucket.
func setupS3(t *testing.T, files map[string]string, cfg map[string]string) (*bundle, *s3.Client, string) {
	t.Helper()
	client := gateway.Require(t)
	bucket := newBucket(t, client)
	if cfg["BucketName"] == "" {
		cfg["BucketName"] = bucket
	}
	b := setup(t, files, cfg)
	b.provider.S3 = s3store.Config{Endpoint: gateway.Endpoint, Region: s3test.Region, PathStyle: true,
		AccessKeyID: s3test.AccessKey, SecretAccessKey: s3test.SecretKey}
	return b, client, bucket
}

var buckets atomic.Int64

// newBucket creates a bucket of the test's own, so parallel tests never see each other's objects.
func newBucket(t *testing.T, client *s3.Client) string {
	t.Helper()
	name := fmt.Sprintf("deploy-%d", buckets.Add(1))
	_, err := client.CreateBucket(t.Context(), &s3.CreateBucketInput{Bucket: aws.String(name)})
	require.NoError(t, err)
	return name
}

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		full := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(full), 0o755))
		require.NoError(t, os.WriteFile(full, []byte(content), 0o644))
	}
}

// object reads an object's content and headers.
func object(t *testing.T, client *s3.Client, bucket, key string) (string, *s3.GetObjectOutput) {
	t.Helper()
	out, err := client.GetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	require.NoError(t, err, "object %s", key)
	defer out.Body.Close()
	body, err := io.ReadAll(out.Body)
	require.NoError(t, err)
	return string(body), out
}

func keys(t *testing.T, client *s3.Client, bucket string) []string {
	t.Helper()
	out, err := client.ListObjectsV2(t.Context(), &s3.ListObjectsV2Input{Bucket: aws.String(bucket)})
	require.NoError(t, err)
	var names []string
	for _, o := range out.Contents {
		names = append(names, aws.ToString(o.Key))
	}
	sort.Strings(names)
	return names
}

// zipEntries returns the files of a zip, name -> content.
func zipEntries(t *testing.T, data []byte) map[string]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	require.NoError(t, err)
	got := map[string]string{}
	for _, f := range zr.File {
		if f.FileInfo().IsDir() {
			continue
		}
		r, err := f.Open()
		require.NoError(t, err)
		b, err := io.ReadAll(r)
		require.NoError(t, err)
		require.NoError(t, r.Close())
		got[f.Name] = string(b)
	}
	return got
}
