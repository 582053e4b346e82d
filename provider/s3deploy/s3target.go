package s3deploy

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/s3/transfermanager"
	tmtypes "github.com/aws/aws-sdk-go-v2/feature/s3/transfermanager/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// Upload tuning: objects up to partSize go in one PutObject, larger ones (a big zip) as a
// multipart upload of partSize parts, which S3 needs for objects over 5 GB and which holds
// at most a few parts in memory whatever the object's size.
const (
	partSize        = 8 << 20
	partConcurrency = 2
	// abortTimeout bounds cleaning up a failed multipart upload, which runs on a fresh
	// context so that a stopped deploy leaves no parts behind.
	abortTimeout = 30 * time.Second
)

// s3Target uploads to a bucket.
type s3Target struct {
	uploader *transfermanager.Client
	bucket   string
	s        *settings
}

func newS3Target(client *s3.Client, s *settings) *s3Target {
	uploader := transfermanager.New(client, func(o *transfermanager.Options) {
		o.PartSizeBytes = partSize
		o.MultipartUploadThreshold = partSize
		o.Concurrency = partConcurrency
		o.FailTimeout = abortTimeout
		// The client sends checksums only where required when it talks to an S3-compatible
		// server (see s3store.NewClient); the uploader must not add them back.
		o.RequestChecksumCalculation = client.Options().RequestChecksumCalculation
	})
	return &s3Target{uploader: uploader, bucket: s.bucket, s: s}
}

func (t *s3Target) put(ctx context.Context, o object) error {
	in := &transfermanager.UploadObjectInput{
		Bucket: aws.String(t.bucket),
		Key:    aws.String(o.key),
		Body:   o.body,
		ACL:    t.s.cannedACL,
	}
	if o.contentType != "" {
		in.ContentType = aws.String(o.contentType)
	}
	if t.s.cacheControl != "" {
		in.CacheControl = aws.String(t.s.cacheControl)
	}
	if t.s.kmsKeyARN != "" {
		in.ServerSideEncryption = tmtypes.ServerSideEncryptionAwsKms
		in.SSEKMSKeyID = aws.String(t.s.kmsKeyARN)
	}
	if _, err := t.uploader.UploadObject(ctx, in); err != nil {
		return &putError{location: t.location(o.key), err: err}
	}
	return nil
}

func (t *s3Target) location(key string) string {
	if key == "" {
		return "s3://" + t.bucket
	}
	return "s3://" + t.bucket + "/" + key
}
