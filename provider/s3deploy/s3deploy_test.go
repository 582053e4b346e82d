package s3deploy_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/catalog"
	"sluice/provider/s3deploy"
)

func TestTypes(t *testing.T) {
	t.Parallel()
	want, ok := catalog.Lookup(s3deploy.TypeID)
	require.True(t, ok)
	require.Equal(t, []sluice.ActionType{want}, (&s3deploy.Provider{}).Types())
	require.Equal(t, "Deploy/AWS/S3/1", s3deploy.TypeID.String())
}

func TestRunS3(t *testing.T) {
	t.Parallel()

	t.Run("ExtractUploadsEveryFileUnderPrefix", func(t *testing.T) {
		t.Parallel()
		b, client, bucket := setupS3(t, site, map[string]string{"Extract": "TRUE", "ObjectKey": "site/v2",
			"CacheControl": "max-age=60"})
		out, err := b.provider.Run(t.Context(), b.rc)
		require.NoError(t, err)
		require.Equal(t, &sluice.Outcome{Success: true, Summary: "Deployed 4 files to s3://" + bucket + "/site/v2"}, out)
		require.Equal(t, []string{"site/v2/css/site.css", "site/v2/data/blob.sluicex", "site/v2/img/logo.png",
			"site/v2/index.html"}, keys(t, client, bucket))
		// An unknown extension gets no Content-Type: the server picks its default.
		types := map[string]string{"index.html": "text/html", "css/site.css": "text/css", "img/logo.png": "image/png"}
		for name, content := range site {
			got, head := object(t, client, bucket, "site/v2/"+name)
			require.Equal(t, content, got, name)
			require.True(t, strings.HasPrefix(aws.ToString(head.ContentType), types[name]),
				"%s has Content-Type %q", name, aws.ToString(head.ContentType))
			require.Equal(t, "max-age=60", aws.ToString(head.CacheControl), name)
		}
		require.Contains(t, b.log.String(), "upload s3://"+bucket+"/site/v2/index.html (15 bytes)\n")
		require.Equal(t, 4, strings.Count(b.log.String(), "upload s3://"))
	})
	t.Run("ExtractWithoutObjectKeyUsesBucketRoot", func(t *testing.T) {
		t.Parallel()
		b, client, bucket := setupS3(t, map[string]string{"a.txt": "a", "dir/b.txt": "b"}, map[string]string{"Extract": "true"})
		out, err := b.provider.Run(t.Context(), b.rc)
		require.NoError(t, err)
		require.Equal(t, "Deployed 2 files to s3://"+bucket, out.Summary)
		require.Equal(t, []string{"a.txt", "dir/b.txt"}, keys(t, client, bucket))
	})
	t.Run("ExtractFalseUploadsOneZip", func(t *testing.T) {
		t.Parallel()
		b, client, bucket := setupS3(t, site, map[string]string{"Extract": "false", "ObjectKey": "releases/site.zip"})
		out, err := b.provider.Run(t.Context(), b.rc)
		require.NoError(t, err)
		require.True(t, out.Success, out.Summary)
		require.Equal(t, []string{"releases/site.zip"}, keys(t, client, bucket))
		data, head := object(t, client, bucket, "releases/site.zip")
		require.Equal(t, "application/zip", aws.ToString(head.ContentType))
		require.Equal(t, site, zipEntries(t, []byte(data)))
		require.Contains(t, out.Summary, "s3://"+bucket+"/releases/site.zip")
	})
	t.Run("SymlinksInsideAreFilesOthersSkipped", func(t *testing.T) {
		t.Parallel()
		b, client, bucket := setupS3(t, map[string]string{"v2.js": "js"}, map[string]string{"Extract": "true"})
		require.NoError(t, os.Symlink("v2.js", filepath.Join(b.rc.WorkDir, "latest.js")))
		require.NoError(t, os.Symlink("/etc/hostname", filepath.Join(b.rc.WorkDir, "outside")))
		out, err := b.provider.Run(t.Context(), b.rc)
		require.NoError(t, err)
		require.True(t, out.Success, out.Summary)
		require.Equal(t, []string{"latest.js", "v2.js"}, keys(t, client, bucket))
		got, _ := object(t, client, bucket, "latest.js")
		require.Equal(t, "js", got)
		require.Contains(t, b.log.String(), "skip outside: ")
	})
	t.Run("ErrNoSuchBucket", func(t *testing.T) {
		t.Parallel()
		b, _, _ := setupS3(t, site, map[string]string{"Extract": "true", "BucketName": "sluice-no-such-bucket"})
		out, err := b.provider.Run(t.Context(), b.rc)
		require.NoError(t, err)
		require.False(t, out.Success)
		require.Equal(t, sluice.FailureJobFailed, out.ErrorType)
		require.Contains(t, out.ErrorMessage, "s3://sluice-no-such-bucket/")
		require.Contains(t, out.ErrorMessage, "NoSuchBucket")
	})
	t.Run("ErrNoSuchBucketZip", func(t *testing.T) {
		t.Parallel()
		b, _, _ := setupS3(t, site, map[string]string{"Extract": "false", "ObjectKey": "a.zip",
			"BucketName": "sluice-no-such-bucket"})
		out, err := b.provider.Run(t.Context(), b.rc)
		require.NoError(t, err)
		require.Equal(t, sluice.FailureJobFailed, out.ErrorType)
		require.Contains(t, out.ErrorMessage, "upload s3://sluice-no-such-bucket/a.zip: NoSuchBucket")
	})
	t.Run("ErrAccessDenied", func(t *testing.T) {
		t.Parallel()
		b, client, bucket := setupS3(t, site, map[string]string{"Extract": "true"})
		b.provider.S3.SecretAccessKey = "not-the-secret"
		out, err := b.provider.Run(t.Context(), b.rc)
		require.NoError(t, err)
		require.Equal(t, sluice.FailureJobFailed, out.ErrorType)
		require.Contains(t, out.ErrorMessage, "s3://"+bucket+"/")
		require.Contains(t, out.ErrorMessage, "SignatureDoesNotMatch")
		require.Empty(t, keys(t, client, bucket))
	})
	t.Run("StoppedIsAFailure", func(t *testing.T) {
		t.Parallel()
		b, _, _ := setupS3(t, site, map[string]string{"Extract": "true"})
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		out, err := b.provider.Run(ctx, b.rc)
		require.NoError(t, err)
		require.Equal(t, &sluice.Outcome{ErrorType: sluice.FailureJobFailed, Summary: "The deploy was stopped",
			ErrorMessage: "The deploy was stopped"}, out)
	})
}

// TestRunS3Headers checks what goes on the wire: versitygw accepts CannedACL and SSE-KMS
// but does not act on them, so a recording proxy in front of it sees the PutObject headers.
func TestRunS3Headers(t *testing.T) {
	t.Parallel()
	b, client, bucket := setupS3(t, map[string]string{"a.txt": "a"}, map[string]string{"Extract": "true",
		"CannedACL": "public-read", "KMSEncryptionKeyARN": "arn:aws:kms:us-east-1:000000000000:key/k1"})
	puts := make(chan http.Header, 1)
	b.provider.S3.Endpoint = recordingProxy(t, gateway.Endpoint, puts)
	out, err := b.provider.Run(t.Context(), b.rc)
	require.NoError(t, err)
	require.True(t, out.Success, out.Summary)
	h := <-puts
	require.Equal(t, "public-read", h.Get("X-Amz-Acl"))
	require.Equal(t, "aws:kms", h.Get("X-Amz-Server-Side-Encryption"))
	require.Equal(t, "arn:aws:kms:us-east-1:000000000000:key/k1", h.Get("X-Amz-Server-Side-Encryption-Aws-Kms-Key-Id"))
	require.Equal(t, []string{"a.txt"}, keys(t, client, bucket))
}

// recordingProxy forwards to endpoint, keeping the Host header the request was signed
// with, and sends the headers of each PUT to puts.
func recordingProxy(t *testing.T, endpoint string, puts chan<- http.Header) string {
	t.Helper()
	target, err := url.Parse(endpoint)
	require.NoError(t, err)
	proxy := &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
		r.SetURL(target)
		r.Out.Host = r.In.Host
		if r.In.Method == http.MethodPut {
			puts <- r.In.Header.Clone()
		}
	}}
	srv := httptest.NewServer(proxy)
	t.Cleanup(srv.Close)
	return srv.URL
}
