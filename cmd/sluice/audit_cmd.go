package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"sluice/client"
)

const lookupEventsTarget = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents"

// auditFilters are `sluice audit`'s flags: at most one lookup attribute, a time range.
type auditFilters struct {
	attrs        map[string]*string // LookupAttributes key -> flag value
	since, until string
	max          int
	asJSON       bool
	region       string
}

func auditCmd() *cobra.Command {
	target := defaultTarget()
	f := auditFilters{attrs: map[string]*string{}}
	cmd := &cobra.Command{
		Use:   "audit",
		Short: "Show the audit trail: who called what, when, from where, and with what result",
		Long: "Print the server's audit trail, newest first, through CloudTrail's LookupEvents (which\n" +
			"`aws cloudtrail lookup-events --endpoint-url URL` also calls): every API call, reads included,\n" +
			"git pushes and pulls, webhook deliveries, with the caller, its address, the resources and the\n" +
			"error code of calls that failed or were denied. At most one of the attribute filters may be\n" +
			"given, as CloudTrail allows. --json prints each event's whole record (CloudTrail's JSON), one\n" +
			"per line. Events are those of --region (the region calls were signed for).\n\n" +
			"The server is --endpoint-url; requests are signed as `sluice functions` signs them.",
		Example: "  sluice audit --event-name StartPipelineExecution\n" +
			"  sluice audit --username alice --since 24h\n" +
			"  sluice audit --resource-name my-pipeline --json | jq .errorCode",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			creds, err := target.credentials(cmd.Flags())
			if err != nil {
				return err
			}
			c := client.New(target.endpoint, f.region, creds, &http.Client{Timeout: 30 * time.Second})
			return f.run(cmd.Context(), c, cmd.OutOrStdout())
		},
	}
	target.addFlags(cmd.Flags())
	fl := cmd.Flags()
	for _, a := range []struct{ flag, key, what string }{
		{"event-name", "EventName", "the operation (StartPipelineExecution, GitPush, ...)"},
		{"username", "Username", `the caller's user name ("root" for the root key)`},
		{"resource-name", "ResourceName", "a resource's name or ARN"},
		{"resource-type", "ResourceType", "a resource type (AWS::CodePipeline::Pipeline, ...)"},
		{"event-source", "EventSource", "the service (codepipeline.amazonaws.com, ...)"},
		{"access-key-id", "AccessKeyId", "the access key the calls were signed with"},
		{"read-only", "ReadOnly", "true for reads only, false for changes only"},
		{"event-id", "EventId", "one event"},
	} {
		f.attrs[a.key] = fl.String(a.flag, "", "only events of "+a.what)
	}
	fl.StringVar(&f.since, "since", "", "only events at or after this time: RFC 3339 (2026-12-07T10:00:00Z) or a duration ago (24h)")
	fl.StringVar(&f.until, "until", "", "only events at or before this time, as --since")
	fl.IntVar(&f.max, "max", 50, "print at most this many events")
	fl.BoolVar(&f.asJSON, "json", false, "print each event's CloudTrail record as a JSON line")
	fl.StringVar(&f.region, "region", clientRegion(), "the region whose events to show (env AWS_REGION, AWS_DEFAULT_REGION)")
	return cmd
}

// lookupEvent is the part of LookupEvents' Event the table shows, with the record.
type lookupEvent struct {
	EventName, Username, EventSource string
	EventTime                        float64
	Resources                        []struct{ ResourceType, ResourceName string }
	CloudTrailEvent                  string
}

func (f *auditFilters) run(ctx context.Context, c *client.Client, w io.Writer) error {
	in := map[string]any{}
	var attrs []map[string]string
	for k, v := range f.attrs {
		if *v != "" {
			attrs = append(attrs, map[string]string{"AttributeKey": k, "AttributeValue": *v})
		}
	}
	if len(attrs) > 1 {
		return fmt.Errorf("give at most one of the filters --event-name, --username, --resource-name, --resource-type, --event-source, --access-key-id, --read-only, --event-id (CloudTrail looks up by one attribute)")
	}
	if len(attrs) == 1 {
		in["LookupAttributes"] = attrs
	}
	for name, v := range map[string]string{"StartTime": f.since, "EndTime": f.until} {
		if v == "" {
			continue
		}
		t, err := parseWhen(v, time.Now())
		if err != nil {
			return err
		}
		in[name] = t.Unix()
	}
	var events []lookupEvent
	for len(events) < f.max {
		in["MaxResults"] = min(50, f.max-len(events))
		var out struct {
			Events    []lookupEvent
			NextToken string
		}
		if err := c.Call(ctx, lookupEventsTarget, "cloudtrail", in, &out); err != nil {
			return apiMessage(err)
		}
		events = append(events, out.Events...)
		if out.NextToken == "" {
			break
		}
		in["NextToken"] = out.NextToken
	}
	if f.asJSON {
		for _, e := range events {
			fmt.Fprintln(w, e.CloudTrailEvent)
		}
		return nil
	}
	return auditTable(w, events)
}

// parseWhen reads an RFC 3339 time or a duration before now.
func parseWhen(s string, now time.Time) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if d, err := time.ParseDuration(s); err == nil && d >= 0 {
		return now.Add(-d), nil
	}
	return time.Time{}, fmt.Errorf("%q: want a time such as 2026-12-07T10:00:00Z or a duration ago such as 24h", s)
}

func auditTable(w io.Writer, events []lookupEvent) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "TIME\tUSER\tSOURCE\tEVENT\tRESOURCES\tADDRESS\tERROR")
	for _, e := range events {
		var rec struct {
			SourceIPAddress, ErrorCode string
		}
		_ = json.Unmarshal([]byte(e.CloudTrailEvent), &rec) // a record the server made; blank columns if not
		res := make([]string, len(e.Resources))
		for i, r := range e.Resources {
			res[i] = r.ResourceName
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", time.Unix(int64(e.EventTime), 0).UTC().Format(time.RFC3339),
			dash(e.Username), strings.TrimSuffix(e.EventSource, ".amazonaws.com"), e.EventName,
			dash(strings.Join(res, ",")), dash(rec.SourceIPAddress), dash(rec.ErrorCode))
	}
	return tw.Flush()
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
