package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"sluice/config"
)

func serverCmd() *cobra.Command {
	var flags *config.Server
	cmd := &cobra.Command{
		Use:   "server",
		Short: "Run the Sluice server (API, hosted git, workers)",
		Long: "Run the Sluice server: the CodePipeline-compatible API and the CodeCommit subset at POST /,\n" +
			"hosted git repositories at /v1/repos/NAME, GET /healthz and GET /metrics.\n\n" +
			"Environment: SLUICE_LISTEN, SLUICE_DATA_DIR, SLUICE_REGION, SLUICE_ACCOUNT_ID, SLUICE_WORKERS,\n" +
			"SLUICE_ACCESS_KEY_ID and SLUICE_SECRET_ACCESS_KEY (the root access key; generated and stored\n" +
			"in the data directory on first start when unset), SLUICE_PUBLIC_URL, SLUICE_ARTIFACT_STORE,\n" +
			"SLUICE_S3_ENDPOINT, SLUICE_S3_REGION, SLUICE_S3_PATH_STYLE. Flags win over them.\n\n" +
			"With --artifact-store s3://BUCKET/PREFIX the S3 credentials come from the standard AWS\n" +
			"settings only (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE, instance roles),\n" +
			"and the server checks at start-up that it can write to the bucket.",
		RunE: func(cmd *cobra.Command, _ []string) error {
			merged, err := serverConfig(cmd.Flags(), *flags, os.Getenv)
			if err != nil {
				return err
			}
			m := &Main{Config: merged, Out: cmd.OutOrStdout()}
			if err := m.Run(cmd.Context()); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Sluice is serving on %s (data in %s)\n", m.URL(), m.Config.DataDir)
			<-cmd.Context().Done()
			fmt.Fprintln(cmd.OutOrStdout(), "Shutting down")
			return m.Close()
		},
	}
	flags = serverFlags(cmd.Flags())
	return cmd
}

// serverFlags defines the server's flags on f and returns the settings they write to.
func serverFlags(f *pflag.FlagSet) *config.Server {
	cfg := config.Defaults()
	f.StringVar(&cfg.Listen, "listen", cfg.Listen, "address to serve on (env SLUICE_LISTEN)")
	f.StringVar(&cfg.DataDir, "data-dir", cfg.DataDir, "directory for the database, artifacts, repositories and logs (env SLUICE_DATA_DIR)")
	f.StringVar(&cfg.Region, "region", cfg.Region, "region name used in ARNs (env SLUICE_REGION)")
	f.StringVar(&cfg.Account, "account-id", cfg.Account, "12-digit account id used in ARNs (env SLUICE_ACCOUNT_ID)")
	f.StringVar(&cfg.WorkDir, "work-dir", cfg.WorkDir, "directory for action workspaces, emptied after each job; a tmpfs makes short actions faster (env SLUICE_WORK_DIR; default DATA-DIR/work)")
	f.IntVar(&cfg.Workers, "workers", cfg.Workers, "in-process workers running jobs (env SLUICE_WORKERS)")
	f.StringVar(&cfg.PublicURL, "public-url", cfg.PublicURL, "base URL clients reach the server at, for clone URLs (env SLUICE_PUBLIC_URL)")
	f.StringVar(&cfg.ArtifactStore, "artifact-store", cfg.ArtifactStore, `where artifacts live: "file" (DATA-DIR/artifacts) or s3://BUCKET/PREFIX (env SLUICE_ARTIFACT_STORE; default "file")`)
	f.StringVar(&cfg.S3Endpoint, "s3-endpoint", cfg.S3Endpoint, "URL of the S3-compatible server holding the bucket (env SLUICE_S3_ENDPOINT; default AWS_ENDPOINT_URL_S3, else AWS S3)")
	f.StringVar(&cfg.S3Region, "s3-region", cfg.S3Region, "the bucket's region (env SLUICE_S3_REGION; default AWS_REGION or the AWS profile's)")
	cfg.S3PathStyle = new(bool)
	f.BoolVar(cfg.S3PathStyle, "s3-path-style", false, "address the bucket as ENDPOINT/BUCKET, not BUCKET.ENDPOINT (env SLUICE_S3_PATH_STYLE; default true exactly when --s3-endpoint is set)")
	return &cfg
}

// serverConfig layers the settings: defaults, then SLUICE_* variables, then the flags set
// on f (whose values are in flags).
func serverConfig(f *pflag.FlagSet, flags config.Server, getenv func(string) string) (config.Server, error) {
	merged, err := config.Defaults().FromEnv(getenv)
	if err != nil {
		return merged, err
	}
	f.Visit(func(fl *pflag.Flag) { merged = applyFlag(merged, flags, fl.Name) })
	return merged, nil
}

// applyFlag copies the named flag's value from flags over merged.
func applyFlag(merged, flags config.Server, name string) config.Server {
	switch name {
	case "listen":
		merged.Listen = flags.Listen
	case "data-dir":
		merged.DataDir = flags.DataDir
	case "region":
		merged.Region = flags.Region
	case "account-id":
		merged.Account = flags.Account
	case "work-dir":
		merged.WorkDir = flags.WorkDir
	case "workers":
		merged.Workers = flags.Workers
	case "public-url":
		merged.PublicURL = flags.PublicURL
	case "artifact-store":
		merged.ArtifactStore = flags.ArtifactStore
	case "s3-endpoint":
		merged.S3Endpoint = flags.S3Endpoint
	case "s3-region":
		merged.S3Region = flags.S3Region
	case "s3-path-style":
		pathStyle := *flags.S3PathStyle
		merged.S3PathStyle = &pathStyle
	}
	return merged
}
