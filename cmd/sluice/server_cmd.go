package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"sluice/config"
)

func serverCmd() *cobra.Command {
	cfg := config.Defaults()
	cmd := &cobra.Command{
		Use:   "server",
		Short: "Run the Sluice server (API, hosted git, workers)",
		Long: "Run the Sluice server: the CodePipeline-compatible API and the CodeCommit subset at POST /,\n" +
			"hosted git repositories at /v1/repos/NAME, GET /healthz and GET /metrics.\n\n" +
			"Environment: SLUICE_LISTEN, SLUICE_DATA_DIR, SLUICE_REGION, SLUICE_ACCOUNT_ID, SLUICE_WORKERS,\n" +
			"SLUICE_ACCESS_KEY_ID and SLUICE_SECRET_ACCESS_KEY (the root access key; generated and stored\n" +
			"in the data directory on first start when unset), SLUICE_PUBLIC_URL. Flags win over them.",
		RunE: func(cmd *cobra.Command, _ []string) error {
			merged, err := config.Defaults().FromEnv(os.Getenv)
			if err != nil {
				return err
			}
			cmd.Flags().Visit(func(f *pflag.Flag) { merged = applyFlag(merged, cfg, f.Name) })
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
	f := cmd.Flags()
	f.StringVar(&cfg.Listen, "listen", cfg.Listen, "address to serve on (env SLUICE_LISTEN)")
	f.StringVar(&cfg.DataDir, "data-dir", cfg.DataDir, "directory for the database, artifacts, repositories and logs (env SLUICE_DATA_DIR)")
	f.StringVar(&cfg.Region, "region", cfg.Region, "region name used in ARNs (env SLUICE_REGION)")
	f.StringVar(&cfg.Account, "account-id", cfg.Account, "12-digit account id used in ARNs (env SLUICE_ACCOUNT_ID)")
	f.StringVar(&cfg.WorkDir, "work-dir", cfg.WorkDir, "directory for action workspaces, emptied after each job; a tmpfs makes short actions faster (env SLUICE_WORK_DIR; default DATA-DIR/work)")
	f.IntVar(&cfg.Workers, "workers", cfg.Workers, "in-process workers running jobs (env SLUICE_WORKERS)")
	f.StringVar(&cfg.PublicURL, "public-url", cfg.PublicURL, "base URL clients reach the server at, for clone URLs (env SLUICE_PUBLIC_URL)")
	return cmd
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
	}
	return merged
}
