package s3deploy

import (
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/feature/s3/transfermanager/types"
)

// settings is the action configuration, checked.
type settings struct {
	bucket       string // a bucket name, or file:///abs/dir
	extract      bool
	objectKey    string // the key prefix (Extract true) or the zip's key (Extract false)
	kmsKeyARN    string
	cannedACL    types.ObjectCannedACL
	cacheControl string
}

// readSettings checks the configuration; a message means a ConfigurationError and names
// the key to fix.
func readSettings(cfg map[string]string) (*settings, string) {
	s := &settings{bucket: cfg["BucketName"], objectKey: cfg["ObjectKey"], kmsKeyARN: cfg["KMSEncryptionKeyARN"],
		cannedACL: types.ObjectCannedACL(cfg["CannedACL"]), cacheControl: cfg["CacheControl"]}
	switch strings.ToLower(cfg["Extract"]) {
	case "true":
		s.extract = true
	case "false":
	default:
		return nil, fmt.Sprintf("Extract must be true or false, not %q", cfg["Extract"])
	}
	switch {
	case s.bucket == "":
		return nil, "BucketName is required"
	case !s.extract && s.objectKey == "":
		return nil, "ObjectKey is required when Extract is false: it names the object the artifact is uploaded as"
	case s.cannedACL != "" && !slices.Contains(s.cannedACL.Values(), s.cannedACL):
		return nil, fmt.Sprintf("CannedACL %q is not one of %s", s.cannedACL, joinACLs(s.cannedACL.Values()))
	}
	return s, ""
}

func joinACLs(acls []types.ObjectCannedACL) string {
	names := make([]string, len(acls))
	for i, a := range acls {
		names[i] = string(a)
	}
	return strings.Join(names, ", ")
}
