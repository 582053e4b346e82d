package s3store_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"sluice/artifact/s3store"
)

func TestParseURL(t *testing.T) {
	t.Parallel()
	ok := []struct {
		raw  string
		want s3store.Config
	}{
		{"s3://bucket", s3store.Config{Bucket: "bucket"}},
		{"s3://bucket/", s3store.Config{Bucket: "bucket"}},
		{"s3://bucket/sluice", s3store.Config{Bucket: "bucket", Prefix: "sluice"}},
		{"s3://my.bucket/a/b/", s3store.Config{Bucket: "my.bucket", Prefix: "a/b"}},
	}
	for _, c := range ok {
		t.Run("OK "+c.raw, func(t *testing.T) {
			t.Parallel()
			got, err := s3store.ParseURL(c.raw)
			require.NoError(t, err)
			require.Equal(t, c.want, got)
		})
	}
	bad := []string{
		"", "bucket/prefix", "file:///tmp/x", "s3:///prefix", "s3://key:secret@bucket/p",
		"s3://bucket:9000/p", "s3://bucket/p?region=eu-west-1", "s3://bucket/a//b",
		"s3://bucket/a/../b", "s3:bucket",
	}
	for _, raw := range bad {
		t.Run("Err "+raw, func(t *testing.T) {
			t.Parallel()
			_, err := s3store.ParseURL(raw)
			require.Error(t, err)
		})
	}
}

func TestNewRefusesBadConfig(t *testing.T) {
	t.Parallel()
	bad := map[string]s3store.Config{
		"ErrBucketRequired":  {Prefix: "p"},
		"ErrHalfCredentials": {Bucket: "b", AccessKeyID: "id"},
		"ErrPrefixDotDot":    {Bucket: "b", Prefix: "a/../b"},
	}
	for name, cfg := range bad {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := s3store.New(t.Context(), cfg)
			require.Error(t, err)
		})
	}
}
