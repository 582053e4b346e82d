package main

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"sluice"
)

func deliveriesCmd() *cobra.Command {
	target := defaultTarget()
	var status string
	var limit int
	var attempts bool
	cmd := &cobra.Command{
		Use:   "deliveries ARN",
		Short: "Show the delivery log of a subscription, chat channel or rule target",
		Long: "Lists what the server sent to one destination, newest first: each message's id, status\n" +
			"(Pending: waiting for its next attempt; Delivered; Failed: dead, its retries exhausted or\n" +
			"refused for good), attempts and last error. ARN is an SNS subscription's ARN, a chat\n" +
			"channel's ARN, or an EventBridge rule's ARN + \"/\" + the target's id.\n\n" +
			"The server is --endpoint-url. Requests are signed with AWS_ACCESS_KEY_ID and\n" +
			"AWS_SECRET_ACCESS_KEY when both are set and --data-dir is not given, else with the root key\n" +
			"the server generated in --data-dir (env SLUICE_DATA_DIR).",
		Example: "  sluice deliveries arn:aws:sns:us-east-1:000000000000:alerts:0b5e1c55-8a4e-4d3e-9a51-0d5b1e0a7c11\n" +
			"  sluice deliveries --status Failed --attempts arn:aws:chatbot::000000000000:chat-configuration/slack-channel/ops",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := functionsClient(cmd, &target)
			if err != nil {
				return err
			}
			f := sluice.DeliveryFilter{Target: args[0], Status: sluice.DeliveryStatus(status)}
			var all []*sluice.DeliveryRecord
			for {
				page, next, err := c.ListDeliveries(cmd.Context(), f)
				if err != nil {
					return apiMessage(err)
				}
				all = append(all, page...)
				if next == "" || (limit > 0 && len(all) >= limit) {
					break
				}
				f.NextToken = next
			}
			if limit > 0 && len(all) > limit {
				all = all[:limit]
			}
			return printDeliveries(cmd.OutOrStdout(), all, attempts)
		},
	}
	target.addFlags(cmd.Flags())
	cmd.Flags().StringVar(&status, "status", "", "only deliveries of this status: Pending, Delivered or Failed")
	cmd.Flags().IntVar(&limit, "limit", 50, "show at most this many deliveries (0: all)")
	cmd.Flags().BoolVar(&attempts, "attempts", false, "show each delivery's latest attempts under it")
	return cmd
}

func printDeliveries(out io.Writer, rs []*sluice.DeliveryRecord, attempts bool) error {
	w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "CREATED\tMESSAGE ID\tTYPE\tSTATUS\tATTEMPTS\tNEXT ATTEMPT\tLAST ERROR")
	for _, r := range rs {
		d := r.Delivery
		next := "-"
		if d.Status == sluice.DeliveryPending && !d.NextAttempt.IsZero() {
			next = d.NextAttempt.Format(time.RFC3339)
		}
		typ := d.Type
		if typ == "" {
			typ = d.Protocol
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%d\t%s\t%s\n", d.Created.Format(time.RFC3339), d.ID, typ, d.Status, d.Attempts, next, orDash(d.LastError))
		if attempts {
			for _, a := range r.Attempts {
				code := "-"
				if a.StatusCode != 0 {
					code = fmt.Sprint(a.StatusCode)
				}
				fmt.Fprintf(w, "  #%d\t%s\t%s\t%s\t\t\t%s\n", a.N, a.At.Format(time.RFC3339), a.Duration.Round(time.Millisecond), code, orDash(a.Error))
			}
		}
	}
	return w.Flush()
}
