package s3store

import (
	"errors"
	"io/fs"
	"net/http"
	"strings"
	"unicode/utf8"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"

	"sluice"
)

// maxObjectKey is S3's limit on an object key, in bytes, prefix included.
const maxObjectKey = 1024

// validateKey accepts the keys every sluice.ArtifactStore accepts: a clean relative slash
// path, no "." or ".." or empty elements, no backslash or NUL. S3 itself would take
// "a/../b" or "a//b" as distinct literal keys; refusing them keeps an artifact readable
// after a move between the disk store and this one, where they would alias or escape.
func validateKey(key string) error {
	if key == "" || key == "." || !fs.ValidPath(key) ||
		strings.ContainsAny(key, "\\\x00") || !utf8.ValidString(key) {
		return invalidKey(key)
	}
	return nil
}

func invalidKey(key string) error {
	return sluice.Errorf(sluice.EInvalid, "Artifact",
		"invalid artifact key %q: want a relative path without '.' or '..' elements", key)
}

func notFound(key string) error {
	return sluice.Errorf(sluice.ENotFound, "Artifact", "artifact %q not found", key)
}

// isNotFound tells a missing object from other failures. A missing bucket is a
// misconfiguration that every key would share, so it stays an internal error with the
// server's message instead of posing as a missing artifact.
func isNotFound(err error) bool {
	var noKey *types.NoSuchKey
	if errors.As(err, &noKey) {
		return true
	}
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) && apiErr.ErrorCode() == "NoSuchBucket" {
		return false
	}
	var respErr *awshttp.ResponseError
	return errors.As(err, &respErr) && respErr.HTTPStatusCode() == http.StatusNotFound
}
