package node

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"sluice"
	"sluice/artifact/diskstore"
	"sluice/artifact/s3store"
)

// openArtifacts chooses the artifact store: the data directory's artifacts/ folder, or the
// bucket of --artifact-store s3://bucket/prefix, which must take a small write before the
// server accepts any work.
func (n *Node) openArtifacts(ctx context.Context) (sluice.ArtifactStore, error) {
	if n.Config.ArtifactsOnDisk() {
		store, err := diskstore.New(filepath.Join(n.Config.DataDir, "artifacts"))
		if err != nil {
			return nil, err
		}
		return store, nil
	}
	cfg, err := n.Config.S3Artifacts()
	if err != nil {
		return nil, err
	}
	store, err := s3store.New(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("--artifact-store %s: %w", n.Config.ArtifactStore, err)
	}
	endpoint := cfg.Endpoint
	if endpoint == "" {
		endpoint = "the AWS SDK's default endpoint"
	}
	if err := checkWritable(ctx, store, "sluice-startup-check/"+UUIDs{}.NewID()); err != nil {
		return nil, fmt.Errorf("artifact store %s: cannot write to bucket %q at %s "+
			"(check --artifact-store, --s3-endpoint, --s3-region and the AWS credentials): %w",
			n.Config.ArtifactStore, cfg.Bucket, endpoint, err)
	}
	n.Log.Info("artifacts in S3", "store", n.Config.ArtifactStore, "endpoint", endpoint, "pathStyle", cfg.PathStyle)
	prefix := strings.Trim(cfg.Prefix, "/")
	n.artifactLocation = func(key string) (string, string) {
		if prefix == "" {
			return cfg.Bucket, key
		}
		return cfg.Bucket, prefix + "/" + key
	}
	return store, nil
}

// checkWritable puts a small object under key and deletes it, within a bound: an
// unreachable server, a missing bucket or refused credentials fail here, not in the first
// action.
func checkWritable(ctx context.Context, store sluice.ArtifactStore, key string) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if _, err := store.Put(ctx, key, strings.NewReader("sluice start-up check\n")); err != nil {
		return err
	}
	return store.Delete(ctx, key)
}
