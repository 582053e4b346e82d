package main

import (
	"github.com/spf13/pflag"

	"sluice/config"
	"sluice/ociregistry"
	"sluice/provider/imagesource"
	"sluice/provider/s3source"
	"sluice/trigger"
)

// sourceFlags are the settings of sources outside Sluice: S3 objects and container images.
func sourceFlags(f *pflag.FlagSet, cfg *config.Server) {
	f.StringVar(&cfg.Registry, "registry", cfg.Registry, "the OCI registry of image (ECR) sources whose RepositoryName names no registry host, such as http://127.0.0.1:5000 (env SLUICE_REGISTRY)")
	f.StringVar(&cfg.RegistryUsername, "registry-username", cfg.RegistryUsername, "username for --registry; the password comes from SLUICE_REGISTRY_PASSWORD (env SLUICE_REGISTRY_USERNAME)")
}

// externalSources are the providers of S3 and image sources; they also answer the change
// poller's questions.
func (m *Main) externalSources() (*s3source.Provider, *imagesource.Provider) {
	registry := &ociregistry.Client{Default: m.Config.RegistryURL(), Username: m.Config.RegistryUsername, Password: m.Config.RegistryPassword}
	return &s3source.Provider{S3: m.Config.S3Client()}, &imagesource.Provider{Registry: registry, Clock: systemClock{}}
}

// newChanges is the poller of S3 and image sources, every --poll-interval as connection
// sources; Run starts it unless the interval is 0.
func (m *Main) newChanges(objects trigger.Objects, images trigger.Images) *trigger.Changes {
	return &trigger.Changes{Engine: m.Engine, Store: m.DB, Log: m.Log, Objects: objects, Images: images,
		Interval: m.Config.PollInterval}
}
