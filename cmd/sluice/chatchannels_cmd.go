package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
)

// chatTarget is the prefix of Sluice's chat channel operations.
const chatTarget = "SluiceChat_20261207."

func chatChannelsCmd() *cobra.Command {
	target := defaultTarget()
	cmd := &cobra.Command{
		Use:   "chat-channels",
		Short: "Configure the Slack and Teams channels notification rules send to",
		Long: "A notification rule's chat target (TargetType AWSChatbotSlack or AWSChatbotMicrosoftTeams)\n" +
			"names a chat channel by its ARN, arn:aws:chatbot::ACCOUNT:chat-configuration/slack-channel/NAME\n" +
			"(or .../microsoft-teams-channel/NAME). A channel is an incoming-webhook URL: Slack's (or a\n" +
			"Slack-compatible service's, such as Mattermost or Rocket.Chat), or a Teams workflow's or\n" +
			"connector's. The URL is a secret: it is stored sealed and never shown again.\n\n" +
			"The server is --endpoint-url. Requests are signed with AWS_ACCESS_KEY_ID and\n" +
			"AWS_SECRET_ACCESS_KEY when both are set and --data-dir is not given, else with the root key\n" +
			"the server generated in --data-dir (env SLUICE_DATA_DIR).",
		Example: "  sluice chat-channels create ops --kind slack --url-file slack-webhook.url\n" +
			"  echo \"$TEAMS_WEBHOOK_URL\" | sluice chat-channels create releases --kind teams --url-file -\n" +
			"  sluice chat-channels list\n" +
			"  sluice chat-channels delete ops",
	}
	target.addFlags(cmd.PersistentFlags())
	cmd.AddCommand(chatCreateCmd(&target), chatListCmd(&target), chatDeleteCmd(&target))
	return cmd
}

type chatChannelOut struct {
	Name, Arn, Kind string
	LastModified    float64
}

func chatCreateCmd(target *serverTarget) *cobra.Command {
	var kind, urlFile string
	cmd := &cobra.Command{
		Use:   "create NAME --kind slack|teams --url-file FILE",
		Short: "Configure a chat channel, or replace the URL of one; prints its ARN",
		Long: "Configure the chat channel NAME (letters, digits, '.', '_', '-') with the incoming-webhook\n" +
			"URL in --url-file (\"-\" reads standard input), so that the URL stays out of the shell's\n" +
			"history and the process list. Prints the channel's ARN, the TargetAddress of a notification\n" +
			"rule's chat target.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			url, err := readURLFile(cmd.InOrStdin(), urlFile)
			if err != nil {
				return err
			}
			c, err := functionsClient(cmd, target)
			if err != nil {
				return err
			}
			var out struct{ ChatChannel chatChannelOut }
			err = c.Call(cmd.Context(), chatTarget+"CreateChatChannel", "chatbot",
				map[string]string{"name": args[0], "kind": kind, "url": url}, &out)
			if err != nil {
				return apiMessage(err)
			}
			fmt.Fprintln(cmd.OutOrStdout(), out.ChatChannel.Arn)
			return nil
		},
	}
	cmd.Flags().StringVar(&kind, "kind", "slack", "the webhook's format: slack or teams")
	cmd.Flags().StringVar(&urlFile, "url-file", "", `file holding the incoming-webhook URL, "-" for standard input (required)`)
	_ = cmd.MarkFlagRequired("url-file")
	return cmd
}

// readURLFile reads the first line of file ("-": stdin).
func readURLFile(stdin io.Reader, file string) (string, error) {
	r := stdin
	if file != "-" {
		f, err := os.Open(file)
		if err != nil {
			return "", fmt.Errorf("--url-file: %w", err)
		}
		defer f.Close()
		r = f
	}
	line, err := bufio.NewReader(io.LimitReader(r, 4096)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("--url-file: %w", err)
	}
	line = strings.TrimSpace(line)
	if line == "" {
		return "", errors.New("--url-file: no URL in it")
	}
	return line, nil
}

func chatListCmd(target *serverTarget) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the chat channels (their URLs are never shown)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := functionsClient(cmd, target)
			if err != nil {
				return err
			}
			var out struct{ ChatChannels []chatChannelOut }
			if err := c.Call(cmd.Context(), chatTarget+"ListChatChannels", "chatbot", struct{}{}, &out); err != nil {
				return apiMessage(err)
			}
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "NAME\tKIND\tARN\tLAST MODIFIED")
			for _, ch := range out.ChatChannels {
				modified := time.UnixMicro(int64(ch.LastModified * 1e6)).UTC().Format(time.RFC3339)
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", ch.Name, ch.Kind, ch.Arn, modified)
			}
			return w.Flush()
		},
	}
}

func chatDeleteCmd(target *serverTarget) *cobra.Command {
	return &cobra.Command{
		Use:   "delete NAME",
		Short: "Remove a chat channel; rules' targets naming it become UNREACHABLE",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := functionsClient(cmd, target)
			if err != nil {
				return err
			}
			if err := c.Call(cmd.Context(), chatTarget+"DeleteChatChannel", "chatbot", map[string]string{"name": args[0]}, nil); err != nil {
				return apiMessage(err)
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "Deleted chat channel %s\n", args[0])
			return nil
		},
	}
}
