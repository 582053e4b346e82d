package s3store_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/artifact/artifacttest"
	"sluice/artifact/s3store"
	"sluice/artifact/s3store/s3test"
)

func TestStore(t *testing.T) {
	t.Parallel()
	artifacttest.Run(t, func(t *testing.T) sluice.ArtifactStore {
		store, _ := newStore(t, testBucket)
		return store
	})
}

func TestStoreObjects(t *testing.T) {
	t.Parallel()

	t.Run("KeyIsPrefixSlashKey", func(t *testing.T) {
		t.Parallel()
		store, prefix := newStore(t, testBucket)
		_, err := store.Put(t.Context(), "pipe/Source/k", strings.NewReader("zip"))
		require.NoError(t, err)
		out, err := gateway.Require(t).GetObject(t.Context(), &s3.GetObjectInput{
			Bucket: aws.String(testBucket), Key: aws.String(prefix + "/pipe/Source/k"),
		})
		require.NoError(t, err)
		defer out.Body.Close()
		b, err := io.ReadAll(out.Body)
		require.NoError(t, err)
		require.Equal(t, "zip", string(b))
	})
	t.Run("FailedMultipartPutLeavesNoParts", func(t *testing.T) {
		t.Parallel()
		store, prefix := newStore(t, testBucket)
		// More than one part is read before the source breaks, so the upload was multipart.
		src := io.MultiReader(bytes.NewReader(make([]byte, 6<<20)), brokenReader{})
		_, err := store.Put(t.Context(), "p/k", src)
		require.ErrorIs(t, err, errBroken)
		out, err := gateway.Require(t).ListMultipartUploads(t.Context(), &s3.ListMultipartUploadsInput{
			Bucket: aws.String(testBucket), Prefix: aws.String(prefix + "/"),
		})
		require.NoError(t, err)
		require.Empty(t, out.Uploads)
	})
	t.Run("ErrMissingBucketIsNotNotFound", func(t *testing.T) {
		t.Parallel()
		store, _ := newStore(t, "no-such-bucket")
		_, err := store.Open(t.Context(), "p/k")
		require.Error(t, err)
		require.Equal(t, sluice.EInternal, sluice.ErrorCode(err), "a missing bucket is no missing artifact: %v", err)
	})
	t.Run("ErrKeyTooLong", func(t *testing.T) {
		t.Parallel()
		store, _ := newStore(t, testBucket)
		_, err := store.Put(t.Context(), strings.Repeat("k", 1024), strings.NewReader("x"))
		require.True(t, sluice.IsCode(err, sluice.EInvalid), "%v", err)
	})
}

var prefixes atomic.Int64

// newStore returns a store on its own prefix of bucket, and the prefix, so parallel
// subtests never see each other's objects.
func newStore(t *testing.T, bucket string) (*s3store.Store, string) {
	t.Helper()
	gateway.Require(t)
	prefix := fmt.Sprintf("t%d", prefixes.Add(1))
	store, err := s3store.New(t.Context(), s3store.Config{
		Endpoint:        gateway.Endpoint,
		Region:          s3test.Region,
		Bucket:          bucket,
		Prefix:          prefix,
		AccessKeyID:     s3test.AccessKey,
		SecretAccessKey: s3test.SecretKey,
		PathStyle:       true,
	})
	require.NoError(t, err)
	return store, prefix
}

var errBroken = errors.New("source broke")

type brokenReader struct{}

func (brokenReader) Read([]byte) (int, error) { return 0, errBroken }
