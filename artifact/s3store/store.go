// Package s3store keeps artifacts as objects in a bucket of AWS S3 or any S3-compatible
// server: the sluice.ArtifactStore for installations whose servers and workers do not share
// a disk. An artifact key becomes the object key Prefix + "/" + key.
package s3store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/feature/s3/transfermanager"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"sluice"
)

// Upload tuning. A Put holds at most about (concurrency+2) parts in memory whatever the
// artifact's size: S3 needs each part's length before sending it, so a stream of unknown
// length is cut into buffered parts. 5 MiB is S3's smallest part, and 10,000 parts of it
// allow 50 GB artifacts.
const (
	partSize          = 5 << 20
	uploadConcurrency = 2
	// abortTimeout bounds cleaning up a failed multipart upload, which runs on a fresh
	// context so that a canceled Put does not leave its parts behind.
	abortTimeout = 30 * time.Second
)

// Store is a sluice.ArtifactStore on one bucket. It is safe for concurrent use, also by
// several processes: S3 makes each PutObject or CompleteMultipartUpload visible whole, the
// last one winning.
type Store struct {
	client   *s3.Client
	uploader *transfermanager.Client
	bucket   string
	prefix   string // "" or ending in '/'
}

var _ sluice.ArtifactStore = (*Store)(nil)

// New returns a Store for cfg, filling unset fields from the standard AWS settings (see
// Config). It does not contact the server, so a wrong endpoint or a missing bucket shows
// on the first Put or Open.
func New(ctx context.Context, cfg Config) (*Store, error) {
	cfg.Prefix = strings.Trim(cfg.Prefix, "/")
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	client, err := NewClient(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("artifact store: %w", err)
	}
	uploader := transfermanager.New(client, func(o *transfermanager.Options) {
		o.PartSizeBytes = partSize
		o.MultipartUploadThreshold = partSize
		o.Concurrency = uploadConcurrency
		o.FailTimeout = abortTimeout
		o.RequestChecksumCalculation = client.Options().RequestChecksumCalculation
	})
	s := &Store{client: client, uploader: uploader, bucket: cfg.Bucket}
	if cfg.Prefix != "" {
		s.prefix = cfg.Prefix + "/"
	}
	return s, nil
}

// NewClient returns an S3 client for cfg's Endpoint, Region, PathStyle and credentials
// (Bucket and Prefix are not used), unset fields taken from the standard AWS settings as
// for New: for packages that reach buckets of their own, such as the S3 deploy action.
func NewClient(ctx context.Context, cfg Config) (*s3.Client, error) {
	if (cfg.AccessKeyID == "") != (cfg.SecretAccessKey == "") {
		return nil, errors.New("set both the access key ID and the secret access key, or neither")
	}
	awsCfg, err := config.LoadDefaultConfig(ctx, loadOptions(cfg)...)
	if err != nil {
		return nil, fmt.Errorf("AWS settings: %w", err)
	}
	if awsCfg.Region == "" {
		awsCfg.Region = "us-east-1" // what S3-compatible servers expect when told nothing
	}
	return s3.NewFromConfig(awsCfg, func(o *s3.Options) {
		if cfg.Endpoint != "" {
			o.BaseEndpoint = aws.String(cfg.Endpoint)
		}
		o.UsePathStyle = cfg.PathStyle
		if o.BaseEndpoint != nil {
			relaxChecksums(o)
		}
	}), nil
}

// relaxChecksums sends and checks checksums only where the API requires them: many
// S3-compatible servers reject the CRC trailers the SDK adds by default for AWS.
func relaxChecksums(o *s3.Options) {
	o.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired
	o.ResponseChecksumValidation = aws.ResponseChecksumValidationWhenRequired
}

func loadOptions(cfg Config) []func(*config.LoadOptions) error {
	var opts []func(*config.LoadOptions) error
	if cfg.Region != "" {
		opts = append(opts, config.WithRegion(cfg.Region))
	}
	if cfg.AccessKeyID != "" {
		opts = append(opts, config.WithCredentialsProvider(
			credentials.NewStaticCredentialsProvider(cfg.AccessKeyID, cfg.SecretAccessKey, "")))
	}
	return opts
}

// Put streams r to the object: small artifacts in one PutObject, larger ones as a multipart
// upload that is aborted if r or the context fails, so the previous version stays.
func (s *Store) Put(ctx context.Context, key string, r io.Reader) (int64, error) {
	name, err := s.objectKey(key)
	if err != nil {
		return 0, err
	}
	body := &countingReader{ctx: ctx, r: r}
	_, err = s.uploader.UploadObject(ctx, &transfermanager.UploadObjectInput{
		Bucket: aws.String(s.bucket),
		Key:    aws.String(name),
		Body:   body,
	})
	if err != nil {
		return 0, fmt.Errorf("put artifact %q: %w", key, err)
	}
	return body.n, nil
}

// Open returns the object's body as the server sends it; nothing is buffered.
func (s *Store) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	name, err := s.objectKey(key)
	if err != nil {
		return nil, err
	}
	out, err := s.client.GetObject(ctx, &s3.GetObjectInput{
		Bucket: aws.String(s.bucket),
		Key:    aws.String(name),
	})
	switch {
	case isNotFound(err):
		return nil, notFound(key)
	case err != nil:
		return nil, fmt.Errorf("open artifact %q: %w", key, err)
	}
	return out.Body, nil
}

// Delete removes the object; S3 reports success for a missing key, and so does Delete on
// servers that answer NoSuchKey instead.
func (s *Store) Delete(ctx context.Context, key string) error {
	name, err := s.objectKey(key)
	if err != nil {
		return err
	}
	_, err = s.client.DeleteObject(ctx, &s3.DeleteObjectInput{
		Bucket: aws.String(s.bucket),
		Key:    aws.String(name),
	})
	if err != nil && !isNotFound(err) {
		return fmt.Errorf("delete artifact %q: %w", key, err)
	}
	return nil
}

// objectKey maps an artifact key to its object key.
func (s *Store) objectKey(key string) (string, error) {
	if err := validateKey(key); err != nil {
		return "", err
	}
	name := s.prefix + key
	if len(name) > maxObjectKey {
		return "", sluice.Errorf(sluice.EInvalid, "Artifact",
			"artifact key %q is too long: S3 keys hold %d bytes with the prefix", key, maxObjectKey)
	}
	return name, nil
}

// countingReader counts what the uploader took and stops at cancellation, so a canceled
// Put fails before its last part is sent, not only when a request notices.
type countingReader struct {
	ctx context.Context
	r   io.Reader
	n   int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
