package main

import (
	"github.com/spf13/pflag"

	"sluice/config"
)

// sourceFlags are the settings of sources outside Sluice: S3 objects and container images.
func sourceFlags(f *pflag.FlagSet, cfg *config.Server) {
	f.StringVar(&cfg.Registry, "registry", cfg.Registry, "the OCI registry of image (ECR) sources whose RepositoryName names no registry host, such as http://127.0.0.1:5000 (env SLUICE_REGISTRY)")
	f.StringVar(&cfg.RegistryUsername, "registry-username", cfg.RegistryUsername, "username for --registry; the password comes from SLUICE_REGISTRY_PASSWORD (env SLUICE_REGISTRY_USERNAME)")
}
