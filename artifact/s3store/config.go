package s3store

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// Config says where the artifacts live. Only Bucket is required: every other field left
// empty is taken from the standard AWS settings (environment variables, then the shared
// config and credentials files, then instance or container roles), so one deployment can
// move between AWS and an S3-compatible server without a code change:
//
//	Endpoint         AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL; none means AWS itself
//	Region           AWS_REGION or AWS_DEFAULT_REGION or the profile; none means us-east-1
//	AccessKeyID,     AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN),
//	SecretAccessKey  AWS_PROFILE, web identity, IMDS
//
// Credentials never travel in the store URL (see ParseURL), so they stay out of process
// listings and logs.
type Config struct {
	// Endpoint is the server's base URL, such as "http://127.0.0.1:7070" or
	// "https://s3.example.com".
	Endpoint string
	Region   string
	Bucket   string
	// Prefix is prepended, with a '/', to every key; "" stores keys at the bucket's root.
	Prefix          string
	AccessKeyID     string
	SecretAccessKey string
	// PathStyle addresses the bucket as endpoint/bucket/key instead of bucket.endpoint/key.
	// Most self-hosted servers need it: their buckets have no DNS names.
	PathStyle bool
}

// ParseURL reads the value of `--artifact-store s3://bucket/prefix`: the host is the bucket
// and the path, if any, the key prefix. Endpoint, region and credentials are separate
// settings (see Config), so the URL refuses user info, ports and query parameters rather
// than ignoring them.
func ParseURL(raw string) (Config, error) {
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return Config{}, fmt.Errorf("artifact store URL: %w", err)
	case u.Scheme != "s3":
		return Config{}, fmt.Errorf("artifact store URL %q: want s3://bucket/prefix", raw)
	case u.User != nil || u.Port() != "" || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "":
		return Config{}, fmt.Errorf("artifact store URL %q: only s3://bucket/prefix; "+
			"endpoint, region and credentials are separate settings", raw)
	}
	cfg := Config{Bucket: u.Host, Prefix: strings.Trim(u.Path, "/")}
	return cfg, cfg.validate()
}

// validate checks what can be checked without the network.
func (c Config) validate() error {
	switch {
	case c.Bucket == "":
		return errors.New("artifact store: a bucket is required")
	case strings.ContainsAny(c.Bucket, "/\\ "):
		return fmt.Errorf("artifact store: bucket %q is not a bucket name", c.Bucket)
	case (c.AccessKeyID == "") != (c.SecretAccessKey == ""):
		return errors.New("artifact store: set both the access key ID and the secret access key, or neither")
	}
	if c.Prefix != "" && validateKey(c.Prefix) != nil {
		return fmt.Errorf("artifact store: prefix %q: want a relative path without '.', '..' or empty elements", c.Prefix)
	}
	return nil
}
