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

// auditFlags are the audit trail's settings.
func auditFlags(f *pflag.FlagSet, cfg *config.Server) {
	f.DurationVar(&cfg.AuditRetention, "audit-retention", cfg.AuditRetention, "how long audit events are kept, pruned in the background; 0 keeps them all (env SLUICE_AUDIT_RETENTION; default 2160h, 90 days, as CloudTrail's event history)")
	f.StringVar(&cfg.AuditExport, "audit-export", cfg.AuditExport, "a file every audit event is appended to as a JSON line (CloudTrail's record) as it commits; FILE.cursor keeps its place (env SLUICE_AUDIT_EXPORT)")
}

// consoleFlags are the web console's settings.
func consoleFlags(f *pflag.FlagSet, cfg *config.Server) {
	f.DurationVar(&cfg.ConsoleSessionTTL, "console-session", cfg.ConsoleSessionTTL, "how long a sign-in to the web console lasts (env SLUICE_CONSOLE_SESSION; default 12h)")
	f.DurationVar(&cfg.EventRetention, "event-retention", cfg.EventRetention, "how long events stay readable by `sluice events` and GET /v1/events after they are handled; 0 prunes them at once (env SLUICE_EVENT_RETENTION; default 24h)")
}
