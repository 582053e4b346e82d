// Command sluice is the Sluice server, its worker, and a local runner of pipeline files.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
)

func main() {
	// Everything Sluice writes (database, keys, logs, workspaces) is its user's alone.
	syscall.Umask(0o077)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	cmd, err := rootCmd().ExecuteContextC(ctx)
	stop()
	if err != nil {
		err = explainUnreachable(cmd, err)
		var exit exitCode
		if asExit(err, &exit) {
			os.Exit(int(exit))
		}
		fmt.Fprintln(os.Stderr, "sluice:", err)
		os.Exit(1)
	}
}

func rootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "sluice",
		Short: "Sluice: self-hosted continuous delivery that speaks the AWS CodePipeline API",
		Long: "Sluice runs pipelines of stages and actions, triggered by pushes to the git repositories it\n" +
			"hosts, and serves CodePipeline's API so the AWS CLI and SDKs work against it with --endpoint-url.",
		Version:       versionString(),
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetVersionTemplate("sluice {{.Version}}\n")
	var caBundle string
	root.PersistentFlags().StringVar(&caBundle, "ca-bundle", os.Getenv("AWS_CA_BUNDLE"),
		"PEM file of the CA certificates to trust besides the system's, for a server on https:// with a private CA (env AWS_CA_BUNDLE)")
	root.PersistentPreRunE = func(*cobra.Command, []string) error { return useCABundle(caBundle) }
	root.AddCommand(serverCmd(), workerCmd(), runCmd(), logsCmd(), functionsCmd(), credentialsCmd(), credentialHelperCmd(), auditCmd(),
		statusCmd(), watchCmd(), historyCmd(), eventsCmd(), deliveriesCmd(), chatChannelsCmd(), partnerTypesCmd())
	return root
}

// exitCode is an error that only sets the process's exit status.
type exitCode int

func (e exitCode) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

func asExit(err error, target *exitCode) bool {
	e, ok := err.(exitCode)
	if ok {
		*target = e
	}
	return ok
}
