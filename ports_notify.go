package sluice

import (
	"context"
	"time"
)

// DeliveryStore keeps deliveries and their attempts. Enqueueing commits the delivery
// durably before anything is sent; claiming leases it, so that one sender at a time tries
// it, and a sender that dies leaves it to be claimed again when the lease ends.
type DeliveryStore interface {
	// EnqueueDeliveries stores ds as Pending with NextAttempt as given (zero: now; a zero
	// Created is now too, both written back), skipping any whose Key (when set) or whose
	// Target and ID exist, and notifies TopicDeliveries when it commits. Target and ID are
	// required (EInvalid/Delivery).
	EnqueueDeliveries(ctx context.Context, ds ...*Delivery) error
	// ClaimDeliveries leases up to limit Pending deliveries whose NextAttempt is at or
	// before now and whose lease is free or ended, until now+lease, oldest first.
	ClaimDeliveries(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]*Delivery, error)
	// RecordDeliveryAttempt stores attempt a of d and d's new Status, Attempts,
	// NextAttempt and LastError, and frees the lease. A delivery is (Target, ID). The caller
	// has counted a in d.Attempts: the store records only while the stored delivery is
	// Pending with d.Attempts-1 attempts, so a sender whose lease ended while another tried
	// the delivery records nothing (EConflict/Delivery; ENotFound/Delivery when absent).
	RecordDeliveryAttempt(ctx context.Context, d *Delivery, a DeliveryAttempt) error
	// ListDeliveries returns target's deliveries, newest first, with up to five latest
	// attempts each, a page at a time (see DeliveryFilter).
	ListDeliveries(ctx context.Context, f DeliveryFilter) ([]*DeliveryRecord, string, error)
	// CancelDeliveries ends the Pending deliveries of a destination that is gone: those of
	// f.Target, or of every subscription of f.TopicARN, become Failed with f.Reason as their
	// last error (a send in flight then records nothing), and returns how many.
	CancelDeliveries(ctx context.Context, f DeliveryCancel) (int, error)
	// ReleaseDeliveryLeases frees every claim, so that what a dead sender held is due at
	// once, and returns how many it freed. Only a server that is the store's one sender
	// calls it, at start-up: the data directory's lock makes a SQLite store's server that.
	ReleaseDeliveryLeases(ctx context.Context) (int, error)
	// NextDeliveryDue is when the earliest Pending delivery can next be claimed: its
	// NextAttempt, or the end of its lease while a sender holds it (false: none).
	NextDeliveryDue(ctx context.Context) (time.Time, bool, error)
}

// DeliveryFilter selects a page of a destination's delivery log.
type DeliveryFilter struct {
	Target    string // required
	Status    DeliveryStatus
	Limit     int    // <= 0: 50
	NextToken string // from the previous page
}

// DeliveryCancel names the deliveries CancelDeliveries ends: Target's, or TopicARN's.
type DeliveryCancel struct {
	Target   string
	TopicARN string
	Reason   string
}

// DeliveryRecord is one delivery with its latest attempts, newest first.
type DeliveryRecord struct {
	Delivery *Delivery
	Attempts []DeliveryAttempt
}

// ChatChannelStore keeps chat channels; URLs are sealed at rest.
type ChatChannelStore interface {
	PutChatChannel(ctx context.Context, ch *ChatChannel) error            // creates or replaces by Name
	GetChatChannel(ctx context.Context, arn string) (*ChatChannel, error) // ENotFound/ChatChannel
	ListChatChannels(ctx context.Context) ([]*ChatChannel, error)
	DeleteChatChannel(ctx context.Context, name string) error // ENotFound/ChatChannel
}

// TopicDeliveries wakes the senders when a delivery is enqueued.
const TopicDeliveries = "deliveries"
