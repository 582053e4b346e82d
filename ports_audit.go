package sluice

import (
	"context"
	"time"
)

// TopicAudit is notified (see Notifier) when audit events commit, for the export to follow.
const TopicAudit = "audit"

// AuditWriter adds records to the audit trail. Executor embeds it, so a record joins the
// transaction of the change it records (see AuditRecord).
type AuditWriter interface {
	// AddAuditEvents stores events. An event whose EventID is stored already replaces it
	// (a call's answer completes the record its transaction wrote) and takes a new place
	// at the end of the export order (AuditEventsAfter). EventID must be set (EInvalid).
	// TopicAudit is notified when they commit.
	AddAuditEvents(ctx context.Context, events ...*AuditEvent) error
}

// Adapters write an AuditRecord attached to the context of a write transaction (Update,
// InTx, or an Executor method of the Store) in that transaction: after fn succeeds and
// before the commit they Claim it, add the event as AddAuditEvents does, and Settle it with
// whether the commit succeeded, notifying TopicAudit. A record no transaction claims is
// written by its surface.

// AuditAttribute names the one LookupAttribute a lookup filters by.
type AuditAttribute string

// The lookup attributes of CloudTrail's LookupEvents.
const (
	AuditEventID      AuditAttribute = "EventId"
	AuditEventName    AuditAttribute = "EventName"
	AuditReadOnly     AuditAttribute = "ReadOnly" // "true" or "false"
	AuditUsername     AuditAttribute = "Username" // AuditIdentity.Username
	AuditResourceType AuditAttribute = "ResourceType"
	AuditResourceName AuditAttribute = "ResourceName" // a resource's Name or ARN
	AuditEventSource  AuditAttribute = "EventSource"
	AuditAccessKeyID  AuditAttribute = "AccessKeyId"
)

// AuditQuery narrows LookupAuditEvents. Key "" filters by no attribute; values match
// exactly. Start and End bound EventTime, both inclusive, when not zero. Region "" means
// every region.
type AuditQuery struct {
	Page
	Key        AuditAttribute
	Value      string
	Start, End time.Time
	Region     string
}

// AuditExport is one stored event and its place in the export order.
type AuditExport struct {
	Seq   int64 // increases in commit order; never used again
	Event *AuditEvent
}

// AuditLog reads and prunes the audit trail.
type AuditLog interface {
	// LookupAuditEvents returns one page of the events q matches, newest first (by EventTime,
	// then the latest stored first), with their resources' names. A page token is valid
	// only with the query that issued it: any other is EInvalid/NextToken.
	LookupAuditEvents(ctx context.Context, q AuditQuery) ([]*AuditEvent, string, error)
	// AuditEventsAfter returns up to limit events (limit <= 0 means 100) whose Seq is after
	// seq, in commit order: a consumer with a durable cursor (the last Seq it handled) reads
	// every event that commits, at least once (a completed record comes again).
	AuditEventsAfter(ctx context.Context, seq int64, limit int) ([]*AuditExport, error)
	// PruneAuditEvents deletes up to limit events (limit <= 0 means 1000), oldest first,
	// whose EventTime is before before, and returns how many.
	PruneAuditEvents(ctx context.Context, before time.Time, limit int) (int, error)
}

// AuditRecorder finishes the records of calls: the core's, which surfaces call after each
// call they record (see AuditRecord).
type AuditRecorder interface {
	// RecordCall sets the call's answer (response: responseElements, nil for none) and
	// error code and message ("" for success) on rec, then writes its event when no
	// transaction did and completes it otherwise. It is the record's last step and outlives
	// the call's context; its error is for the surface to log, the call's answer being given.
	RecordCall(ctx context.Context, rec *AuditRecord, response []byte, errorCode, errorMessage string) error
}
