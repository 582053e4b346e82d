package s3source

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"

	"sluice"
)

// fetch downloads the object to dir/source.zip and checks that it is a zip. A failure S3
// or the object causes is an outcome; an error is a local one.
func fetch(ctx context.Context, client *s3.Client, obj object, dir string) (string, *sluice.Revision, *sluice.Outcome, error) {
	in := &s3.GetObjectInput{Bucket: aws.String(obj.bucket), Key: aws.String(obj.key)}
	if obj.versionID != "" {
		in.VersionId = aws.String(obj.versionID)
	}
	if obj.etag != "" {
		in.IfMatch = aws.String(`"` + obj.etag + `"`)
	}
	resp, err := client.GetObject(ctx, in)
	if err != nil {
		return "", nil, getFailed(obj, err), nil
	}
	defer resp.Body.Close()
	path := filepath.Join(dir, "source.zip")
	f, err := os.Create(path)
	if err != nil {
		return "", nil, nil, err
	}
	n, copyErr := io.Copy(f, resp.Body)
	if err := f.Close(); err != nil && copyErr == nil {
		return "", nil, nil, err
	}
	if copyErr != nil {
		return "", nil, failed(sluice.FailureJobFailed, fmt.Sprintf("Could not read %s: %v", obj, copyErr)), nil
	}
	rev := revisionOf(aws.ToString(resp.VersionId), aws.ToString(resp.ETag), aws.ToTime(resp.LastModified), resp.Metadata)
	if err := checkZip(path); err != nil {
		return "", nil, failed(sluice.FailureJobFailed, fmt.Sprintf("%s (%d bytes, %s) is not a zip file (%v): "+
			"the S3 source action takes one zip object. Zip the files (zip -r source.zip .) and upload the zip.",
			obj.location(), n, describe(rev), err)), nil
	}
	return path, rev, nil, nil
}

// head reads the latest version's revision without the content.
func head(ctx context.Context, client *s3.Client, bucket, key string) (sluice.Revision, error) {
	resp, err := client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		return sluice.Revision{}, fmt.Errorf("head s3://%s/%s: %w", bucket, key, err)
	}
	return *revisionOf(aws.ToString(resp.VersionId), aws.ToString(resp.ETag), aws.ToTime(resp.LastModified), resp.Metadata), nil
}

// revisionOf is an object version as a source revision: the version id, or the ETag in a
// bucket without versioning ("null" is the version id S3 gives objects written before
// versioning was turned on or while suspended; it names no version of its own).
func revisionOf(versionID, etag string, modified time.Time, meta map[string]string) *sluice.Revision {
	etag = strings.Trim(etag, `"`)
	if versionID == "null" {
		versionID = ""
	}
	id := versionID
	if id == "" {
		id = etag
	}
	return &sluice.Revision{RevisionID: id, ChangeIdentifier: etag, Summary: meta[SummaryKey], Created: modified.UTC(),
		Variables: map[string]string{"ETag": etag, "VersionId": versionID}}
}

// checkZip reads the zip's central directory: the object must be a zip (an empty one
// too). CodePipeline passes other objects through, to fail in the first action that
// unzips them; failing here names the object to fix.
func checkZip(path string) error {
	r, err := zip.OpenReader(path)
	if err != nil {
		return err
	}
	return r.Close()
}

// getFailed explains why GetObject failed: a missing bucket or object is a configuration
// error, a pinned version that is gone makes the revision unavailable.
func getFailed(obj object, err error) *sluice.Outcome {
	code, status := "", 0
	var api smithy.APIError
	if errors.As(err, &api) {
		code = api.ErrorCode()
	}
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		status = re.HTTPStatusCode()
	}
	pinned := obj.versionID != "" || obj.etag != ""
	switch {
	case code == "NoSuchBucket":
		return failed(sluice.FailureConfigurationError, fmt.Sprintf("Bucket %s does not exist (S3Bucket).", obj.bucket))
	case status == http.StatusPreconditionFailed:
		return failed(sluice.FailureRevisionUnavailable, fmt.Sprintf("%s has changed since ETag %s was found; "+
			"the bucket keeps no versions, so that revision is gone. Turn on versioning to run old revisions.", obj.location(), obj.etag))
	case pinned && (code == "NoSuchVersion" || code == "NoSuchKey" || code == "InvalidArgument"):
		return failed(sluice.FailureRevisionUnavailable, fmt.Sprintf("%s is not available: %v", obj, err))
	case code == "NoSuchKey":
		return failed(sluice.FailureConfigurationError, fmt.Sprintf("The object %s does not exist (S3ObjectKey).", obj.location()))
	}
	return failed(sluice.FailureJobFailed, fmt.Sprintf("Could not fetch %s: %v", obj, err))
}
