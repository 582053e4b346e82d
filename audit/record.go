// Package audit builds the records of the audit trail (CloudTrail's, see sluice.AuditEvent)
// for every surface that receives calls: the API, the IAM/STS query adapter, git, webhooks.
// A surface calls Begin before it calls the core and End after it: Begin attaches the record
// to the context, so the transaction of the change writes it (sluice.AuditRecord), and End
// hands the finished record to the core's recorder. It also keeps the trail's side work: the
// redaction of secrets (redact.go), the JSON-lines export and pruning (export.go, prune.go).
//
// A surface of another protocol does the same: the IAM/STS query adapter, once a request is
// authenticated, calls Begin with Source "iam.amazonaws.com" or "sts.amazonaws.com", Region
// "us-east-1", Params QueryParams(form), runs the call with the context Begin returns, and
// calls End with the core (its sluice.AuditRecorder), the answer and its error's code
// ("AccessDenied", "NoSuchEntity", ...) and message. New kinds of secret go in SecretMembers.
package audit

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net"
	"strings"

	"sluice"
)

// EventVersion is the version of CloudTrail's record Sluice writes.
const EventVersion = "1.08"

// Call is what a surface knows of one call before it runs it.
type Call struct {
	Source    string // eventSource: codepipeline.amazonaws.com, iam.amazonaws.com, ...
	Name      string // eventName: the operation, GitPush, ...
	Region    string
	Account   string
	Caller    sluice.Caller
	EventID   string // the record's stable identity ("": a new random UUID)
	RequestID string
	// Params is the request's input as JSON (nil: none); Begin redacts it (see Parameters).
	Params []byte
	// ReadOnly overrides the rule of IsReadOnly (nil: by Name).
	ReadOnly  *bool
	Resources []sluice.AuditResource
	// Additional is CloudTrail's additionalEventData (git's protocol, repository, ...).
	Additional any
	// Identity overrides the identity made from Caller (webhook deliveries, Sluice's own work).
	Identity *sluice.AuditIdentity
	// EventType is CloudTrail's eventType ("": AwsApiCall; AwsConsoleSignIn for sign-ins).
	EventType string
}

// Begin makes the record of c and attaches it to ctx for the store's transactions.
func Begin(ctx context.Context, c Call) (context.Context, *sluice.AuditRecord) {
	ro := IsReadOnly(c.Name)
	if c.ReadOnly != nil {
		ro = *c.ReadOnly
	}
	id := Identity(c.Caller, c.Account)
	if c.Identity != nil {
		id = *c.Identity
	}
	ev := sluice.AuditEvent{
		EventVersion: EventVersion, UserIdentity: id, EventSource: c.Source, EventName: c.Name,
		AWSRegion: c.Region, SourceIPAddress: c.Caller.SourceIP, UserAgent: truncate(c.Caller.UserAgent, 1024),
		RequestParameters: ParametersOf(c.Name, c.Params), ResponseElements: json.RawMessage("null"),
		RequestID: c.RequestID, EventID: c.EventID, ReadOnly: ro, Resources: c.Resources,
		EventType: "AwsApiCall", ManagementEvent: true, RecipientAccountID: c.Account, EventCategory: "Management",
	}
	if c.Additional != nil {
		ev.AdditionalEventData, _ = json.Marshal(c.Additional) // the surfaces' own maps encode
	}
	if ev.EventID == "" {
		ev.EventID = newEventID()
	}
	if c.EventType != "" {
		ev.EventType = c.EventType
	}
	rec := sluice.NewAuditRecord(ev)
	return sluice.WithAuditRecord(ctx, rec), rec
}

// End finishes rec with the call's outcome and hands it to the recorder: out is the answer
// of a call that succeeded (recorded for writes, never for reads), errorCode "" for success.
func End(ctx context.Context, r sluice.AuditRecorder, rec *sluice.AuditRecord, out any, errorCode, errorMessage string) error {
	if r == nil || rec == nil {
		return nil
	}
	var resp []byte
	if errorCode == "" && !rec.Event().ReadOnly && out != nil {
		resp = Response(out)
	}
	return r.RecordCall(ctx, rec, resp, errorCode, truncate(errorMessage, 1024))
}

// IsReadOnly is CloudTrail's readOnly for an operation: true for the access levels List and
// Read (Get, List, Describe, BatchGet, Lookup; GitPull).
func IsReadOnly(name string) bool {
	for _, p := range []string{"Get", "List", "Describe", "BatchGet", "Lookup"} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return name == "GitPull"
}

// Identity is CloudTrail's userIdentity of a caller: Root for the account's root principal,
// IAMUser for a user's ARN, AWSService (invoked by Sluice) for the server's own calls.
func Identity(c sluice.Caller, account string) sluice.AuditIdentity {
	id := sluice.AuditIdentity{ARN: c.Principal, AccountID: account, AccessKeyID: c.AccessKeyID}
	switch {
	case strings.HasSuffix(c.Principal, ":root"):
		id.Type, id.PrincipalID = "Root", account
	case strings.Contains(c.Principal, ":user/"):
		id.Type = "IAMUser"
		id.UserName = c.Principal[strings.LastIndex(c.Principal, "/")+1:]
		id.PrincipalID = id.UserName
	case c.Principal == "":
		return sluice.AuditIdentity{Type: "AWSService", InvokedBy: "codepipeline.amazonaws.com"}
	default: // a name that is no ARN (a worker's)
		id.Type, id.PrincipalID, id.ARN, id.UserName = "IAMUser", c.Principal, "", c.Principal
	}
	return id
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// newEventID is a random UUID (version 4): event ids come from no IDs source, so that
// recording a call takes no id a test expects the call to mint.
func newEventID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand never fails on the platforms Go supports
	b[6], b[8] = b[6]&0x0f|0x40, b[8]&0x3f|0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// SourceIP is the address part of a request's remote address (the whole of it when it has
// no port): sourceIPAddress.
func SourceIP(remote string) string {
	if host, _, err := net.SplitHostPort(remote); err == nil {
		return host
	}
	return remote
}
