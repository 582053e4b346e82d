package s3source_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/catalog"
	"sluice/provider/s3source"
)

func TestTypes(t *testing.T) {
	t.Parallel()
	want, ok := catalog.Lookup(s3source.TypeID)
	require.True(t, ok)
	require.Equal(t, []sluice.ActionType{want}, (&s3source.Provider{}).Types())
	require.Equal(t, "Source/AWS/S3/1", s3source.TypeID.String())
}

func TestRunVersioned(t *testing.T) {
	t.Parallel()
	v1 := map[string]string{"app.txt": "one"}
	v2 := map[string]string{"app.txt": "two", "extra.txt": "x"}

	t.Run("LatestVersion", func(t *testing.T) {
		t.Parallel()
		b := setup(t, true)
		b.put(t, "src/app.zip", zipOf(t, v1), "")
		id2 := b.put(t, "src/app.zip", zipOf(t, v2), "Release 2: faster start-up")
		require.NotEmpty(t, id2)
		out := b.run(t, map[string]string{"S3ObjectKey": "src/app.zip"}, nil)
		require.Equal(t, v2, artifact(t, out))
		require.Equal(t, id2, out.Revision.RevisionID)
		require.Equal(t, "Release 2: faster start-up", out.Revision.Summary)
		require.Equal(t, "Release 2: faster start-up", out.Summary)
		require.Equal(t, id2, out.OutputVariables["VersionId"])
		require.Equal(t, "src/app.zip", out.OutputVariables["ObjectKey"])
		etag := out.OutputVariables["ETag"]
		require.Regexp(t, `^[0-9a-f]{32}$`, etag, "the ETag without its quotes")
		require.Equal(t, etag, out.Revision.ChangeIdentifier)
		require.False(t, out.Revision.Created.IsZero())
		require.Contains(t, b.log.String(), "Fetched s3://"+b.bucket+"/src/app.zip (version "+id2+")")
	})
	t.Run("HeadMatchesRun", func(t *testing.T) {
		t.Parallel()
		b := setup(t, true)
		b.put(t, "app.zip", zipOf(t, v1), "first")
		rev, err := b.provider.ObjectRevision(t.Context(), b.bucket, "app.zip")
		require.NoError(t, err)
		out := b.run(t, map[string]string{"S3ObjectKey": "app.zip"}, nil)
		require.Equal(t, *out.Revision, rev)
	})
	t.Run("PinnedVersionID", func(t *testing.T) {
		t.Parallel()
		b := setup(t, true)
		id1 := b.put(t, "app.zip", zipOf(t, v1), "")
		b.put(t, "app.zip", zipOf(t, v2), "")
		// What StartPipelineExecution's S3_OBJECT_VERSION_ID pins.
		out := b.run(t, map[string]string{"S3ObjectKey": "app.zip"}, &sluice.Revision{RevisionID: id1, ChangeIdentifier: id1})
		require.Equal(t, v1, artifact(t, out))
		require.Equal(t, id1, out.Revision.RevisionID)
	})
	t.Run("PinnedByPoll", func(t *testing.T) {
		t.Parallel()
		b := setup(t, true)
		b.put(t, "app.zip", zipOf(t, v1), "")
		polled, err := b.provider.ObjectRevision(t.Context(), b.bucket, "app.zip")
		require.NoError(t, err)
		b.put(t, "app.zip", zipOf(t, v2), "")
		out := b.run(t, map[string]string{"S3ObjectKey": "app.zip"}, &polled)
		require.Equal(t, v1, artifact(t, out))
	})
	t.Run("ObjectKeyOverride", func(t *testing.T) {
		t.Parallel()
		b := setup(t, true)
		b.put(t, "main.zip", zipOf(t, v1), "")
		b.put(t, "feature.zip", zipOf(t, v2), "")
		pin := &sluice.Revision{Variables: map[string]string{"ObjectKey": "feature.zip"}}
		out := b.run(t, map[string]string{"S3ObjectKey": "main.zip", "AllowOverrideForS3ObjectKey": "true"}, pin)
		require.Equal(t, v2, artifact(t, out))
		require.Equal(t, "feature.zip", out.OutputVariables["ObjectKey"])
		// Without AllowOverrideForS3ObjectKey the configured key stays.
		out = b.run(t, map[string]string{"S3ObjectKey": "main.zip"}, pin)
		require.Equal(t, v1, artifact(t, out))
	})
	t.Run("ErrUnknownVersion", func(t *testing.T) {
		t.Parallel()
		b := setup(t, true)
		b.put(t, "app.zip", zipOf(t, v1), "")
		out := b.run(t, map[string]string{"S3ObjectKey": "app.zip"}, &sluice.Revision{RevisionID: "no-such-version"})
		require.False(t, out.Success)
		require.Equal(t, sluice.FailureRevisionUnavailable, out.ErrorType, out.ErrorMessage)
		require.Contains(t, out.ErrorMessage, "version no-such-version")
	})
}

func TestRunUnversioned(t *testing.T) {
	t.Parallel()

	t.Run("RevisionIsTheETag", func(t *testing.T) {
		t.Parallel()
		b := setup(t, false)
		require.Empty(t, b.put(t, "app.zip", zipOf(t, map[string]string{"a": "1"}), ""))
		out := b.run(t, map[string]string{"S3ObjectKey": "app.zip"}, nil)
		require.Equal(t, map[string]string{"a": "1"}, artifact(t, out))
		require.Equal(t, out.OutputVariables["ETag"], out.Revision.RevisionID)
		require.Empty(t, out.OutputVariables["VersionId"])
		require.Contains(t, out.Summary, "bucket not versioned")
	})
	t.Run("PinnedETagStillThere", func(t *testing.T) {
		t.Parallel()
		b := setup(t, false)
		b.put(t, "app.zip", zipOf(t, map[string]string{"a": "1"}), "")
		polled, err := b.provider.ObjectRevision(t.Context(), b.bucket, "app.zip")
		require.NoError(t, err)
		out := b.run(t, map[string]string{"S3ObjectKey": "app.zip"}, &polled)
		require.Equal(t, map[string]string{"a": "1"}, artifact(t, out))
	})
	t.Run("ErrPinnedETagOverwritten", func(t *testing.T) {
		t.Parallel()
		b := setup(t, false)
		b.put(t, "app.zip", zipOf(t, map[string]string{"a": "1"}), "")
		polled, err := b.provider.ObjectRevision(t.Context(), b.bucket, "app.zip")
		require.NoError(t, err)
		b.put(t, "app.zip", zipOf(t, map[string]string{"a": "2"}), "")
		out := b.run(t, map[string]string{"S3ObjectKey": "app.zip"}, &polled)
		require.Equal(t, sluice.FailureRevisionUnavailable, out.ErrorType, out.ErrorMessage)
		require.Contains(t, out.ErrorMessage, "has changed since ETag "+polled.ChangeIdentifier)
	})
}

func TestRunFailures(t *testing.T) {
	t.Parallel()

	t.Run("ErrNotZip", func(t *testing.T) {
		t.Parallel()
		b := setup(t, true)
		b.put(t, "app.tar", []byte("not a zip at all"), "")
		out := b.run(t, map[string]string{"S3ObjectKey": "app.tar"}, nil)
		require.Equal(t, sluice.FailureJobFailed, out.ErrorType)
		require.Contains(t, out.ErrorMessage, "s3://"+b.bucket+"/app.tar (16 bytes, version ")
		require.Contains(t, out.ErrorMessage, "is not a zip file")
		require.Contains(t, out.ErrorMessage, "upload the zip")
	})
	t.Run("ErrNoSuchKey", func(t *testing.T) {
		t.Parallel()
		b := setup(t, true)
		out := b.run(t, map[string]string{"S3ObjectKey": "missing.zip"}, nil)
		require.Equal(t, sluice.FailureConfigurationError, out.ErrorType)
		require.Equal(t, "The object s3://"+b.bucket+"/missing.zip does not exist (S3ObjectKey).", out.ErrorMessage)
	})
	t.Run("ErrNoSuchBucket", func(t *testing.T) {
		t.Parallel()
		b := setup(t, false)
		out := b.run(t, map[string]string{"S3Bucket": "sluice-no-such-bucket", "S3ObjectKey": "a.zip"}, nil)
		require.Equal(t, sluice.FailureConfigurationError, out.ErrorType)
		require.Equal(t, "Bucket sluice-no-such-bucket does not exist (S3Bucket).", out.ErrorMessage)
	})
	t.Run("ErrAccessDenied", func(t *testing.T) {
		t.Parallel()
		b := setup(t, false)
		b.put(t, "a.zip", zipOf(t, nil), "")
		b.provider.S3.SecretAccessKey = "not-the-secret"
		out := b.run(t, map[string]string{"S3ObjectKey": "a.zip"}, nil)
		require.Equal(t, sluice.FailureJobFailed, out.ErrorType)
		require.Contains(t, out.ErrorMessage, "Could not fetch s3://"+b.bucket+"/a.zip")
		require.Contains(t, out.ErrorMessage, "SignatureDoesNotMatch")
	})
	t.Run("ErrConfiguration", func(t *testing.T) {
		t.Parallel()
		b := setup(t, false)
		out := b.run(t, map[string]string{}, nil)
		require.Equal(t, &sluice.Outcome{ErrorType: sluice.FailureConfigurationError, Summary: "S3ObjectKey is required",
			ErrorMessage: "S3ObjectKey is required"}, out)
	})
}
