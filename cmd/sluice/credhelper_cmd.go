package main

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
)

func credentialHelperCmd() *cobra.Command {
	var f workerFlags
	cmd := &cobra.Command{
		Use:   "credential-helper get|store|erase",
		Short: "Give git the access key for a Sluice server (git's credential helper protocol)",
		Long: "A git credential helper: on `get` it answers git with an access key id as the user name and\n" +
			"its secret as the password, so that no secret sits in a clone URL or in .git/config.\n" +
			"`store` and `erase` do nothing: the key lives where the AWS CLI finds it.\n\n" +
			"The key: SLUICE_ACCESS_KEY_ID and SLUICE_SECRET_ACCESS_KEY, else the standard AWS settings\n" +
			"(AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE and ~/.aws/credentials). Set it up once:\n\n" +
			"  git config --global credential.helper '!sluice credential-helper'\n\n" +
			"or for one server only:\n\n" +
			"  git config --global credential.http://ci.example.com:7080.helper '!sluice credential-helper'",
		Args:      cobra.ExactArgs(1),
		ValidArgs: []string{"get", "store", "erase"},
		RunE: func(cmd *cobra.Command, args []string) error {
			if args[0] != "get" {
				_, _ = io.Copy(io.Discard, cmd.InOrStdin()) // git writes the credential; nothing to keep
				return nil
			}
			if _, err := readCredentialRequest(cmd.InOrStdin()); err != nil {
				return err
			}
			creds, err := workerCredentials(cmd.Context(), f)
			if err != nil {
				return err
			}
			v, err := creds.Retrieve(cmd.Context())
			if err != nil {
				return fmt.Errorf("no access key: %w", err)
			}
			_, err = fmt.Fprintf(cmd.OutOrStdout(), "username=%s\npassword=%s\n", v.AccessKeyID, v.SecretAccessKey)
			return err
		},
	}
	return cmd
}

// readCredentialRequest reads git's description of what it needs (key=value lines ending
// with a blank line or end of input).
func readCredentialRequest(r io.Reader) (map[string]string, error) {
	attrs := map[string]string{}
	sc := bufio.NewScanner(io.LimitReader(r, 64<<10))
	for sc.Scan() {
		line := sc.Text()
		if line == "" {
			break
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			return nil, fmt.Errorf("credential-helper: %q is not key=value", line)
		}
		attrs[k] = v
	}
	return attrs, sc.Err()
}
