package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"sluice/config"
	"sluice/node"
)

func serverCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "server",
		Short: "Run the Sluice server (API, hosted git, workers)",
		Long: "Run the Sluice server: the CodePipeline-compatible API and the CodeCommit subset at POST /,\n" +
			"hosted git repositories at /v1/repos/NAME, action logs at /v1/logs/PIPELINE/ACTION-EXECUTION-ID\n" +
			"(SigV4-signed GET, ?offset=N&follow=true), git hosts' webhooks at POST /v1/webhooks/CONNECTION-ID\n" +
			"(signed with the connection's WebhookSecret), GET /healthz and GET /metrics.\n\n" +
			"Environment: SLUICE_LISTEN, SLUICE_DATA_DIR, SLUICE_REGION, SLUICE_ACCOUNT_ID, SLUICE_WORKERS,\n" +
			"SLUICE_ACCESS_KEY_ID and SLUICE_SECRET_ACCESS_KEY (the root access key; generated and stored\n" +
			"in the data directory on first start when unset), SLUICE_PUBLIC_URL, SLUICE_ARTIFACT_STORE,\n" +
			"SLUICE_S3_ENDPOINT, SLUICE_S3_REGION, SLUICE_S3_PATH_STYLE, SLUICE_POLL_INTERVAL, SLUICE_WORK_DIR,\n" +
			"SLUICE_SANDBOX, SLUICE_ACTION_ENV, SLUICE_REGISTRY,\n" +
			"SLUICE_REGISTRY_USERNAME, SLUICE_REGISTRY_PASSWORD (no flag), SLUICE_TLS_CERT, SLUICE_TLS_KEY,\n" +
			"SLUICE_ENCRYPTION_KEY_FILE, SLUICE_ENCRYPTION_KEY (no flag: the key itself).\n" +
			"SLUICE_AUDIT_RETENTION, SLUICE_RETAIN, SLUICE_DATABASE, SLUICE_DATABASE_MAX_CONNS,\n" +
			"SLUICE_DATABASE_CONN_LIFETIME,\n" +
			"SLUICE_AUDIT_EXPORT, SLUICE_PROMETHEUS_URL. Flags win over them.\n\n" +
			"With --artifact-store s3://BUCKET/PREFIX the S3 credentials come from the standard AWS\n" +
			"settings only (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE, instance roles),\n" +
			"and the server checks at start-up that it can write to the bucket.\n\n" +
			"Actions run in a bubblewrap sandbox (apt-get install bubblewrap): as user 65534, seeing /usr,\n" +
			"/etc and the other system directories read-only, their own workspace, a private /tmp and\n" +
			"/proc, with the network on; never the data directory, its keys or other jobs. Their\n" +
			"environment is PATH, HOME, LANG, TMPDIR, the CODEPIPELINE_* variables, the action's own and\n" +
			"--action-env's. The data directory is made 0700 and its files 0600 (see docs/security.md).",
		RunE: func(cmd *cobra.Command, _ []string) error {
			merged, err := serverConfig(cmd.Flags(), os.Getenv)
			if err != nil {
				return err
			}
			// The key is read; no child process (an action, git) may inherit it.
			_ = os.Unsetenv("SLUICE_ENCRYPTION_KEY")
			n, err := node.New(cmd.Context(), merged, node.Options{Out: cmd.OutOrStdout()})
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Sluice is serving on %s (data in %s)\n", n.URL(), n.Config.DataDir)
			<-cmd.Context().Done()
			fmt.Fprintln(cmd.OutOrStdout(), "Shutting down")
			return n.Close()
		},
	}
	defaults, pathStyle := config.Defaults(), false
	serverFlags(cmd.Flags(), &defaults, &pathStyle)
	return cmd
}

// serverFlags defines the server's flags on f, bound to cfg with cfg's values as defaults.
// The path-style flag writes to pathStyle: unset, the setting stays "default" (nil).
func serverFlags(f *pflag.FlagSet, cfg *config.Server, pathStyle *bool) {
	f.StringVar(&cfg.Listen, "listen", cfg.Listen, "address to serve on (env SLUICE_LISTEN)")
	f.StringVar(&cfg.DataDir, "data-dir", cfg.DataDir, "directory for the database, artifacts, repositories and logs (env SLUICE_DATA_DIR)")
	f.StringVar(&cfg.Region, "region", cfg.Region, "region name used in ARNs (env SLUICE_REGION)")
	f.StringVar(&cfg.Account, "account-id", cfg.Account, "12-digit account id used in ARNs (env SLUICE_ACCOUNT_ID)")
	f.StringVar(&cfg.WorkDir, "work-dir", cfg.WorkDir, "directory for action workspaces, one per job, removed after it; outside the data directory; a tmpfs makes short actions faster (env SLUICE_WORK_DIR; default a new directory under $TMPDIR, removed at exit)")
	f.StringVar(&cfg.Sandbox, "sandbox", cfg.Sandbox, `how actions' code is isolated: "bwrap" (bubblewrap: another user, only the system's directories and its workspace visible, own /proc) or "off" (as this server's user, seeing all it sees; a warning at start-up) (env SLUICE_SANDBOX)`)
	f.StringArrayVar(&cfg.ActionEnv, "action-env", cfg.ActionEnv, "add a variable to every action's environment: NAME=VALUE, or NAME for this process's value; repeatable (env SLUICE_ACTION_ENV, comma-separated). Actions get nothing else of the server's environment")
	f.IntVar(&cfg.Workers, "workers", cfg.Workers, "in-process workers running jobs; 0 leaves every job but source actions to `sluice worker` processes (env SLUICE_WORKERS)")
	f.DurationVar(&cfg.PollInterval, "poll-interval", cfg.PollInterval, "how often connection sources that detect changes are checked for new commits, jittered ±10%; 0 turns polling off, webhooks still start pipelines (env SLUICE_POLL_INTERVAL)")
	f.StringVar(&cfg.PublicURL, "public-url", cfg.PublicURL, "base URL clients reach the server at, for clone URLs (env SLUICE_PUBLIC_URL)")
	f.StringVar(&cfg.ArtifactStore, "artifact-store", cfg.ArtifactStore, `where artifacts live: "file" (DATA-DIR/artifacts) or s3://BUCKET/PREFIX (env SLUICE_ARTIFACT_STORE; default "file")`)
	f.StringVar(&cfg.S3Endpoint, "s3-endpoint", cfg.S3Endpoint, "URL of the S3-compatible server holding the artifact bucket and the buckets S3 deploy actions write to (env SLUICE_S3_ENDPOINT; default AWS_ENDPOINT_URL_S3, else AWS S3)")
	f.StringVar(&cfg.S3Region, "s3-region", cfg.S3Region, "the buckets' region (env SLUICE_S3_REGION; default AWS_REGION or the AWS profile's)")
	f.BoolVar(pathStyle, "s3-path-style", false, "address the bucket as ENDPOINT/BUCKET, not BUCKET.ENDPOINT (env SLUICE_S3_PATH_STYLE; default true exactly when --s3-endpoint is set)")
	f.IntVar(&cfg.MaxUnauthenticated, "max-unauthenticated", cfg.MaxUnauthenticated, "requests whose signature is not yet verified served at once; past it 4 times as many wait up to a second for a slot, the rest are answered 503; 0: no limit")
	f.IntVar(&cfg.AuthFailures, "auth-failures", cfg.AuthFailures, "failed authentications an address (an IPv6 /64) may make within --auth-failure-window before it is answered ThrottlingException (HTTP 429); 0: no limit")
	f.DurationVar(&cfg.AuthFailureWindow, "auth-failure-window", cfg.AuthFailureWindow, "the sliding window of --auth-failures")
	f.DurationVar(&cfg.BodyTimeout, "body-timeout", cfg.BodyTimeout, "how long an API request's or webhook delivery's body may take to arrive")
	f.StringVar(&cfg.TLSCert, "tls-cert", cfg.TLSCert, "serve HTTPS with this PEM certificate (chain) file; with --tls-key (env SLUICE_TLS_CERT)")
	f.StringVar(&cfg.TLSKey, "tls-key", cfg.TLSKey, "the PEM private key of --tls-cert (env SLUICE_TLS_KEY)")
	f.StringVar(&cfg.EncryptionKeyFile, "encryption-key-file", cfg.EncryptionKeyFile, "file holding the key that encrypts the secrets in the database, made (mode 0600) on first start; keep it and a backup apart from the data directory (env SLUICE_ENCRYPTION_KEY_FILE; default DATA-DIR.encryption-key; env SLUICE_ENCRYPTION_KEY holding the key itself wins)")
	sourceFlags(f, cfg)
	auditFlags(f, cfg)
	consoleFlags(f, cfg)
	deliveryFlags(f, cfg)
	eventBridgeFlags(f, cfg)
	alarmFlags(f, cfg)
	retainFlags(f, cfg)
	databaseFlags(f, cfg)
}

// serverConfig layers the settings: defaults, then SLUICE_* variables, then the flags set
// on f (only those the user gave).
func serverConfig(f *pflag.FlagSet, getenv func(string) string) (config.Server, error) {
	merged, err := config.Defaults().FromEnv(getenv)
	if err != nil {
		return merged, err
	}
	var pathStyle bool
	over := pflag.NewFlagSet("server", pflag.ContinueOnError)
	serverFlags(over, &merged, &pathStyle) // defaults are merged's own values: binding keeps them
	f.Visit(func(fl *pflag.Flag) {
		if err != nil {
			return
		}
		if list, ok := fl.Value.(pflag.SliceValue); ok { // String() of a list does not parse back
			err = over.Lookup(fl.Name).Value.(pflag.SliceValue).Replace(list.GetSlice())
			return
		}
		err = over.Set(fl.Name, fl.Value.String())
	})
	if over.Changed("s3-path-style") {
		merged.S3PathStyle = &pathStyle
	}
	return merged, err
}
