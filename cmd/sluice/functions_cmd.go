package main

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"sluice/client"
)

func functionsCmd() *cobra.Command {
	target := defaultTarget()
	cmd := &cobra.Command{
		Use:   "functions",
		Short: "Register the HTTP functions Invoke/AWS/Lambda actions call",
		Long: "An Invoke/AWS/Lambda action's FunctionName names a function registered here: a URL Sluice\n" +
			"POSTs the CodePipeline job event to (as Lambda receives it, under \"CodePipeline.job\"), with\n" +
			"these headers:\n" +
			"  X-Sluice-Timestamp: when it was sent, in Unix seconds (each retry is signed afresh)\n" +
			"  X-Sluice-Signature: sha256=HEX, the hex HMAC-SHA256, keyed by the function's secret, of\n" +
			"      the X-Sluice-Timestamp value, a \".\", and the raw body: HMAC(secret, TIMESTAMP + \".\" + BODY)\n" +
			"  X-Sluice-Delivery: the invocation's id, the same on its retries\n" +
			"A function recomputes the signature over the timestamp and the body as received, compares it\n" +
			"in constant time, and refuses a timestamp more than a few minutes old, so a captured event\n" +
			"cannot be replayed. For example, in a shell:\n" +
			"  printf '%s.%s' \"$TIMESTAMP\" \"$BODY\" | openssl dgst -sha256 -hmac \"$SECRET\"\n" +
			"The function answers 2xx at once, then reports with PutJobSuccessResult or\n" +
			"PutJobFailureResult within 20 minutes, as a Lambda function does.\n\n" +
			"The server is --endpoint-url. Requests are signed with AWS_ACCESS_KEY_ID and\n" +
			"AWS_SECRET_ACCESS_KEY when both are set and --data-dir is not given, else with the root key\n" +
			"the server generated in --data-dir (env SLUICE_DATA_DIR).",
		Example: "  SECRET=$(sluice functions put notify --url https://hooks.internal/notify)\n" +
			"  sluice functions put deploy --url http://10.0.0.7:8080/ --secret-file deploy.secret\n" +
			"  sluice functions list\n" +
			"  sluice functions delete notify",
	}
	target.addFlags(cmd.PersistentFlags())
	cmd.AddCommand(functionsPutCmd(&target), functionsListCmd(&target), functionsDeleteCmd(&target))
	return cmd
}

// functionsClient is the API client of a functions subcommand.
func functionsClient(cmd *cobra.Command, target *serverTarget) (*client.Client, error) {
	creds, err := target.credentials(cmd.Flags())
	if err != nil {
		return nil, err
	}
	return client.New(target.endpoint, clientRegion(), creds, &http.Client{Timeout: 30 * time.Second}), nil
}

func functionsPutCmd(target *serverTarget) *cobra.Command {
	var url, secretFile string
	cmd := &cobra.Command{
		Use:   "put NAME --url URL [--secret-file FILE]",
		Short: "Register a function, or change the URL and secret of one",
		Long: "Register the function NAME (the FunctionName actions use: a name, or a Lambda ARN) at URL,\n" +
			"an http or https URL. Its secret is the content of --secret-file (\"-\" reads standard input;\n" +
			"at least 16 characters); without it a random secret is generated and printed, alone, on\n" +
			"standard output: this is the only time it is shown.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			secret, generated, err := functionSecret(cmd.InOrStdin(), secretFile)
			if err != nil {
				return err
			}
			c, err := functionsClient(cmd, target)
			if err != nil {
				return err
			}
			f, err := c.PutFunction(cmd.Context(), args[0], url, secret)
			if err != nil {
				return apiMessage(err)
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "Registered function %s at %s\n", f.Name, f.URL)
			if generated {
				fmt.Fprintln(cmd.ErrOrStderr(), "Its secret follows; it is not shown again. The function checks X-Sluice-Signature with it.")
				fmt.Fprintln(cmd.OutOrStdout(), secret)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&url, "url", "", "the URL Sluice POSTs job events to (http or https; required)")
	cmd.Flags().StringVar(&secretFile, "secret-file", "", `file holding the secret, "-" for standard input (default: generate one)`)
	_ = cmd.MarkFlagRequired("url")
	return cmd
}

// functionSecret reads the secret from file, or generates one when file is "".
func functionSecret(stdin io.Reader, file string) (secret string, generated bool, err error) {
	var b []byte
	switch file {
	case "":
		raw := make([]byte, 32)
		if _, err := rand.Read(raw); err != nil {
			return "", false, err
		}
		return hex.EncodeToString(raw), true, nil
	case "-":
		b, err = io.ReadAll(io.LimitReader(stdin, 4096))
	default:
		b, err = os.ReadFile(file)
	}
	if err != nil {
		return "", false, fmt.Errorf("--secret-file: %w", err)
	}
	secret = strings.TrimRight(string(b), "\r\n")
	if secret == "" {
		return "", false, errors.New("--secret-file: the file is empty")
	}
	return secret, false, nil
}

func functionsListCmd(target *serverTarget) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the registered functions (their secrets are never shown)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := functionsClient(cmd, target)
			if err != nil {
				return err
			}
			fs, err := c.ListFunctions(cmd.Context())
			if err != nil {
				return apiMessage(err)
			}
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "NAME\tURL\tLAST MODIFIED")
			for _, f := range fs {
				fmt.Fprintf(w, "%s\t%s\t%s\n", f.Name, f.URL, f.LastModified.Format(time.RFC3339))
			}
			return w.Flush()
		},
	}
}

func functionsDeleteCmd(target *serverTarget) *cobra.Command {
	return &cobra.Command{
		Use:   "delete NAME",
		Short: "Remove a registered function; actions naming it then fail until it is put again",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := functionsClient(cmd, target)
			if err != nil {
				return err
			}
			if err := c.DeleteFunction(cmd.Context(), args[0]); err != nil {
				return apiMessage(err)
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "Deleted function %s\n", args[0])
			return nil
		},
	}
}
