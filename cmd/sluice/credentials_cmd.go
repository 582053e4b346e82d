package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"sluice/config"
	"sluice/node"
)

func credentialsCmd() *cobra.Command {
	cfg := config.Defaults()
	cmd := &cobra.Command{
		Use:   "credentials",
		Short: "Print the root access key as shell exports for the AWS CLI",
		Long: "Print export lines for the root access key the server generated in its data directory,\n" +
			"and the region, so that `eval \"$(sluice credentials)\"` sets up the AWS CLI and SDKs.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if v := os.Getenv("SLUICE_DATA_DIR"); v != "" && !cmd.Flags().Changed("data-dir") {
				cfg.DataDir = v
			}
			path := filepath.Join(cfg.DataDir, node.KeyFile)
			k, err := node.ReadKey(path)
			if err != nil {
				return fmt.Errorf("no generated key in %s (start `sluice server --data-dir %s` first, or use the SLUICE_ACCESS_KEY_ID you set): %w", cfg.DataDir, cfg.DataDir, err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "export AWS_ACCESS_KEY_ID=%s\nexport AWS_SECRET_ACCESS_KEY=%s\nexport AWS_DEFAULT_REGION=%s\n",
				k.ID, k.Secret, cfg.Region)
			return nil
		},
	}
	cmd.Flags().StringVar(&cfg.DataDir, "data-dir", cfg.DataDir, "the server's data directory (env SLUICE_DATA_DIR)")
	cmd.Flags().StringVar(&cfg.Region, "region", cfg.Region, "region to export as AWS_DEFAULT_REGION")
	return cmd
}
