package config

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"sync"

	"sluice/artifact/s3store"
)

// s3RegionPattern is looser than regionPattern: S3-compatible servers name their regions
// freely ("garage", "auto").
var s3RegionPattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`) })

// ArtifactsOnDisk reports whether artifacts live in DataDir/artifacts rather than in a bucket.
func (s Server) ArtifactsOnDisk() bool {
	return s.ArtifactStore == "" || s.ArtifactStore == "file"
}

// S3Artifacts returns the settings of the bucket ArtifactStore names. Call it only when
// ArtifactsOnDisk is false; its errors name the setting to fix.
func (s Server) S3Artifacts() (s3store.Config, error) {
	if u, err := url.Parse(s.ArtifactStore); err != nil || u.Scheme != "s3" {
		return s3store.Config{}, fmt.Errorf("--artifact-store %q: want \"file\" (the data directory) or s3://bucket/prefix",
			s.ArtifactStore)
	}
	where, err := s3store.ParseURL(s.ArtifactStore)
	if err != nil {
		return s3store.Config{}, fmt.Errorf("--artifact-store: %w", err)
	}
	cfg := s.S3Client()
	cfg.Bucket, cfg.Prefix = where.Bucket, where.Prefix
	return cfg, nil
}

// S3Client returns the S3 client settings (no bucket) that the artifact store and the S3
// deploy action share. They apply with artifacts on disk too: a deploy may target a bucket.
func (s Server) S3Client() s3store.Config {
	cfg := s3store.Config{Endpoint: s.S3Endpoint, Region: s.S3Region, PathStyle: s.S3Endpoint != "",
		AccessKeyID: s.S3AccessKeyID, SecretAccessKey: s.S3SecretAccessKey}
	if s.S3PathStyle != nil {
		cfg.PathStyle = *s.S3PathStyle
	}
	return cfg
}

// validateArtifactStore checks the artifact and S3 settings without contacting a server:
// node.New does that at start-up for the artifact store.
func (s Server) validateArtifactStore() error {
	if !s.ArtifactsOnDisk() {
		if _, err := s.S3Artifacts(); err != nil {
			return err
		}
	}
	if s.S3Endpoint != "" {
		u, err := url.Parse(s.S3Endpoint)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
			return fmt.Errorf("--s3-endpoint %q: want the server's URL, such as http://127.0.0.1:7070 or https://s3.example.com",
				s.S3Endpoint)
		}
	}
	switch {
	case s.S3Region != "" && !s3RegionPattern().MatchString(s.S3Region):
		return fmt.Errorf("--s3-region %q: want a region name such as us-east-1", s.S3Region)
	case (s.S3AccessKeyID == "") != (s.S3SecretAccessKey == ""):
		return errors.New("set both S3AccessKeyID and S3SecretAccessKey, or neither")
	}
	return nil
}
