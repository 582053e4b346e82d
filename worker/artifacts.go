package worker

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"sluice"
	"sluice/client"
)

// jobArtifacts is one job's view of the artifact store: the objects its job data names,
// reached through the server's S3 endpoint with the job's own credentials.
type jobArtifacts struct {
	client  *s3.Client
	objects map[string]wireArtifact // artifact key -> where the job data says it is
	tmp     string                  // where uploads are spooled
}

var _ sluice.ArtifactStore = (*jobArtifacts)(nil)

// newJobArtifacts matches the job's artifact keys with the locations of the model's job data
// (by artifact name, which is unique among a job's inputs and among its outputs).
func newJobArtifacts(hc *http.Client, endpoint, region string, p *polledJob, tmp string) *jobArtifacts {
	c := p.Data.ArtifactCredentials
	a := &jobArtifacts{tmp: tmp, objects: map[string]wireArtifact{},
		client: s3.New(s3.Options{Region: region, BaseEndpoint: aws.String(endpoint + "/s3"), UsePathStyle: true, HTTPClient: hc, Retryer: client.ArtifactRetryer(),
			Credentials: credentials.NewStaticCredentialsProvider(c.AccessKeyID, c.SecretAccessKey, c.SessionToken)})}
	byName := func(list []wireArtifact, name string) (wireArtifact, bool) {
		for _, w := range list {
			if w.Name == name {
				return w, true
			}
		}
		return wireArtifact{}, false
	}
	for _, ref := range p.Sluice.Data.InputArtifacts {
		if w, ok := byName(p.Data.InputArtifacts, ref.Name); ok {
			a.objects[ref.Key] = w
		}
	}
	for _, ref := range p.Sluice.Data.OutputArtifacts {
		if w, ok := byName(p.Data.OutputArtifacts, ref.Name); ok {
			a.objects[ref.Key] = w
		}
	}
	return a
}

func (a *jobArtifacts) location(key string) (bucket, object *string, err error) {
	w, ok := a.objects[key]
	if !ok {
		return nil, nil, fmt.Errorf("artifact %s is not one of this job's", key)
	}
	l := w.Location.S3Location
	return aws.String(l.BucketName), aws.String(l.ObjectKey), nil
}

// Open downloads an input artifact.
func (a *jobArtifacts) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	bucket, object, err := a.location(key)
	if err != nil {
		return nil, err
	}
	out, err := a.client.GetObject(ctx, &s3.GetObjectInput{Bucket: bucket, Key: object})
	if err != nil {
		return nil, fmt.Errorf("download artifact s3://%s/%s: %w", *bucket, *object, err)
	}
	return out.Body, nil
}

// Put uploads an output artifact. The content is spooled to a file first: over plain HTTP
// the request is signed with the payload's hash, which needs a body that can be read twice.
func (a *jobArtifacts) Put(ctx context.Context, key string, r io.Reader) (int64, error) {
	bucket, object, err := a.location(key)
	if err != nil {
		return 0, err
	}
	f, err := os.CreateTemp(a.tmp, "upload-*.zip")
	if err != nil {
		return 0, err
	}
	defer os.Remove(f.Name())
	defer f.Close()
	n, err := io.Copy(f, r)
	if err != nil {
		return 0, err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return 0, err
	}
	if _, err := a.client.PutObject(ctx, &s3.PutObjectInput{Bucket: bucket, Key: object, Body: f, ContentLength: aws.Int64(n)}); err != nil {
		return 0, fmt.Errorf("upload artifact s3://%s/%s: %w", *bucket, *object, err)
	}
	return n, nil
}

// Delete is not offered to workers: artifacts outlive the jobs that made them.
func (a *jobArtifacts) Delete(context.Context, string) error {
	return fmt.Errorf("workers do not delete artifacts")
}
