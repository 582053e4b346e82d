package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"
)

// partnerTarget is the prefix of Sluice's partner type operation.
const partnerTarget = "SluicePartners_20261207."

func partnerTypesCmd() *cobra.Command {
	target := defaultTarget()
	cmd := &cobra.Command{
		Use:   "partner-types",
		Short: "Register ThirdParty (partner) action types for partners' job workers",
		Long: "A partner action type (owner ThirdParty) is run by a partner's job worker through the\n" +
			"third-party job protocol: PollForThirdPartyJobs, GetThirdPartyJobDetails,\n" +
			"AcknowledgeThirdPartyJob and PutThirdPartyJobSuccessResult/FailureResult, each call about a\n" +
			"job carrying the type's clientToken. CodePipeline provisions partner types and their\n" +
			"clientId/clientToken pairs out of band; in Sluice an operator registers them here.\n\n" +
			"The server is --endpoint-url. Requests are signed with AWS_ACCESS_KEY_ID and\n" +
			"AWS_SECRET_ACCESS_KEY when both are set and --data-dir is not given, else with the root key\n" +
			"the server generated in --data-dir (env SLUICE_DATA_DIR).",
		Example: "  sluice partner-types register --file probe-type.json > probe-client.json",
	}
	target.addFlags(cmd.PersistentFlags())
	cmd.AddCommand(partnerRegisterCmd(&target))
	return cmd
}

func partnerRegisterCmd(target *serverTarget) *cobra.Command {
	var file string
	cmd := &cobra.Command{
		Use:   "register --file TYPE.json",
		Short: "Register a partner action type, or mint a new client for one; prints the client",
		Long: "Register the ThirdParty action type that --file (\"-\": standard input) declares with\n" +
			"CreateCustomActionType's members (category, provider, version, settings,\n" +
			"configurationProperties, inputArtifactDetails, outputArtifactDetails), and mint its client.\n" +
			"Prints {\"clientId\": ..., \"clientToken\": ...}: the only time the token is shown. Registering\n" +
			"the same definition again mints a new client, and the old token stops working.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var r io.Reader = cmd.InOrStdin()
			if file != "-" {
				f, err := os.Open(file)
				if err != nil {
					return fmt.Errorf("--file: %w", err)
				}
				defer f.Close()
				r = f
			}
			var in map[string]any
			if err := json.NewDecoder(io.LimitReader(r, 1<<20)).Decode(&in); err != nil {
				return fmt.Errorf("--file: %w", err)
			}
			c, err := functionsClient(cmd, target)
			if err != nil {
				return err
			}
			var out struct {
				ClientID    string `json:"clientId"`
				ClientToken string `json:"clientToken"`
			}
			if err := c.Call(cmd.Context(), partnerTarget+"RegisterPartnerActionType", "codepipeline", in, &out); err != nil {
				return apiMessage(err)
			}
			enc := json.NewEncoder(cmd.OutOrStdout())
			enc.SetIndent("", "  ")
			return enc.Encode(out)
		},
	}
	cmd.Flags().StringVar(&file, "file", "", `JSON file of the type's declaration, "-" for standard input (required)`)
	_ = cmd.MarkFlagRequired("file")
	return cmd
}
