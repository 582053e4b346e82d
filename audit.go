package sluice

import (
	"context"
	"encoding/json"
	"sync"
	"time"
)

// AuditEvent is one record of the audit trail: what CloudTrail records of an API call (its
// JSON is CloudTrail's record, as LookupEvents returns it in CloudTrailEvent), also used for
// git pushes and pulls, webhook deliveries and worker registrations.
type AuditEvent struct {
	EventVersion        string          `json:"eventVersion"`
	UserIdentity        AuditIdentity   `json:"userIdentity"`
	EventTime           time.Time       `json:"eventTime"`
	EventSource         string          `json:"eventSource"`
	EventName           string          `json:"eventName"`
	AWSRegion           string          `json:"awsRegion"`
	SourceIPAddress     string          `json:"sourceIPAddress"`
	UserAgent           string          `json:"userAgent"`
	ErrorCode           string          `json:"errorCode,omitempty"`
	ErrorMessage        string          `json:"errorMessage,omitempty"`
	RequestParameters   json.RawMessage `json:"requestParameters"` // null when the call has no input
	ResponseElements    json.RawMessage `json:"responseElements"`  // null for reads and failures
	AdditionalEventData json.RawMessage `json:"additionalEventData,omitempty"`
	RequestID           string          `json:"requestID"`
	EventID             string          `json:"eventID"`
	ReadOnly            bool            `json:"readOnly"`
	Resources           []AuditResource `json:"resources,omitempty"`
	EventType           string          `json:"eventType"`
	ManagementEvent     bool            `json:"managementEvent"`
	RecipientAccountID  string          `json:"recipientAccountId"`
	EventCategory       string          `json:"eventCategory"`
}

// AuditIdentity is CloudTrail's userIdentity: who made the call.
type AuditIdentity struct {
	Type        string `json:"type"` // Root, IAMUser, or AWSService for Sluice's own work
	PrincipalID string `json:"principalId,omitempty"`
	ARN         string `json:"arn,omitempty"`
	AccountID   string `json:"accountId,omitempty"`
	AccessKeyID string `json:"accessKeyId,omitempty"`
	UserName    string `json:"userName,omitempty"`
	InvokedBy   string `json:"invokedBy,omitempty"`
}

// Username is the name LookupEvents shows and filters by: the user's name, "root" for the
// root principal, the invoking service for Sluice's own work.
func (id AuditIdentity) Username() string {
	switch {
	case id.UserName != "":
		return id.UserName
	case id.Type == "Root":
		return "root"
	}
	return id.InvokedBy
}

// AuditResource is a resource a call named. Name is the name as the request used it
// (LookupEvents' ResourceName matches it or the ARN); CloudTrail's record does not carry it.
type AuditResource struct {
	ARN       string `json:"ARN"`
	AccountID string `json:"accountId"`
	Type      string `json:"type"` // AWS::CodePipeline::Pipeline, AWS::CodeCommit::Repository, ...
	Name      string `json:"-"`
}

// AuditRecord is a call's record on its way to the store. The surface that received the
// call makes it before calling the core and attaches it to the call's context
// (WithAuditRecord). A store transaction that commits while it is attached and unwritten
// writes it in that transaction (Claim, then Settle), so the record of a change commits or
// rolls back with the change, and a crash after the commit cannot lose it. After the call
// the surface finishes it (the answer, the error) and hands it to an AuditRecorder, which
// writes it when no transaction did (reads, errors, denials, calls that changed nothing)
// and completes it otherwise. Safe for concurrent use.
type AuditRecord struct {
	mu      sync.Mutex
	event   AuditEvent
	claimed bool // a transaction is writing it
	written bool // a transaction wrote it
}

// NewAuditRecord starts the record of a call.
func NewAuditRecord(ev AuditEvent) *AuditRecord { return &AuditRecord{event: ev} }

// Claim hands a transaction about to commit the event to write, stamped with now (to the
// second, as CloudTrail's), unless a transaction wrote or is writing it (false). Every true
// must be followed by Settle.
func (r *AuditRecord) Claim(now time.Time) (*AuditEvent, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.claimed || r.written {
		return nil, false
	}
	r.claimed = true
	ev := r.event
	ev.EventTime = now.UTC().Truncate(time.Second) // CloudTrail's times are whole seconds
	return &ev, true
}

// Settle tells whether the transaction that claimed the record committed.
func (r *AuditRecord) Settle(committed bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.claimed, r.written = false, r.written || committed
}

// Finish sets what the call answered, and returns the whole event (stamped with now) and
// whether a transaction has already written its first version.
func (r *AuditRecord) Finish(now time.Time, response json.RawMessage, errorCode, errorMessage string) (*AuditEvent, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.event.ResponseElements, r.event.ErrorCode, r.event.ErrorMessage = response, errorCode, errorMessage
	ev := r.event
	ev.EventTime = now.UTC().Truncate(time.Second)
	return &ev, r.written
}

// Event returns the record as it stands.
func (r *AuditRecord) Event() AuditEvent {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.event
}

type auditKey struct{}

// WithAuditRecord attaches rec to ctx (nil detaches any record ctx carries).
func WithAuditRecord(ctx context.Context, rec *AuditRecord) context.Context {
	return context.WithValue(ctx, auditKey{}, rec)
}

// AuditRecordOf returns the record attached to ctx, or nil.
func AuditRecordOf(ctx context.Context) *AuditRecord {
	rec, _ := ctx.Value(auditKey{}).(*AuditRecord)
	return rec
}
