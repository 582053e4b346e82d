package service

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"

	"sluice"
	"sluice/eventbus"
)

// RouteToNotificationRules sends an event to the targets of every enabled notification rule
// on the event's pipeline that names one of its event types: to an SNS topic the processed
// event (CodeStar Notifications' message, BASIC or FULL), to a chat channel the compact
// message of its kind (Slack or Teams). Each send is idempotent per event and rule (the
// publish's DedupeKey, the delivery's Key), so an event routed twice reaches each target
// once. A target that refuses (a deleted topic or channel) is marked UNREACHABLE and
// skipped; a sent one ACTIVE. It returns an error only when trying again may help.
func (s *Service) RouteToNotificationRules(ctx context.Context, env *eventbus.Envelope) error {
	ev := &env.Record.Event
	if ev.EventSource() != sluice.SourcePipeline || ev.PipelineName == "" || len(env.Resources) == 0 {
		return nil
	}
	types := EventTypeIDs(ev)
	if len(types) == 0 {
		return nil
	}
	rules, err := s.Store.NotificationRulesFor(ctx, env.Resources[0])
	if err != nil {
		return err
	}
	var notice *notice // read once, for the first rule that needs it
	for _, r := range rules {
		if r.Status != sluice.NotificationRuleEnabled || !slices.ContainsFunc(types, func(t string) bool { return slices.Contains(r.EventTypeIDs, t) }) {
			continue
		}
		if notice == nil {
			if notice, err = s.noticeOf(ctx, env); err != nil {
				return err
			}
		}
		for _, t := range r.Targets {
			if err := s.notifyTarget(ctx, env, notice, r, t); err != nil {
				return err
			}
		}
	}
	return nil
}

// notifyTarget sends one rule's notice to one target and records the target's status.
func (s *Service) notifyTarget(ctx context.Context, env *eventbus.Envelope, n *notice, r *sluice.NotificationRule, t sluice.NotificationTarget) error {
	key := env.ID + "/" + r.ARN
	var err error
	switch t.Type {
	case sluice.TargetSNS:
		var msg []byte
		if msg, err = json.Marshal(n.processed(env, r)); err != nil {
			return err
		}
		_, err = s.Publish(ctx, sluice.ServerCaller(), sluice.PublishInput{TopicARN: t.Address, Message: string(msg), DedupeKey: key})
	case sluice.TargetSlack, sluice.TargetTeams:
		err = s.enqueueChat(ctx, n, t, key+"/"+t.Address)
	default:
		return nil
	}
	status := sluice.TargetActive
	if err != nil {
		if sluice.ErrorCode(err) == sluice.EInternal {
			return err // the store: try the event again
		}
		slog.WarnContext(ctx, "notification rules: a target refused a notice", "rule", r.ARN, "target", t.Address, "err", err)
		status = sluice.TargetUnreachable
	}
	if status == t.Status {
		return nil
	}
	if err := s.Store.SetNotificationTargetStatus(ctx, t.Address, status); err != nil && !sluice.IsCode(err, sluice.ENotFound) {
		return err
	}
	return nil
}

// enqueueChat adds the chat delivery of a notice to a channel: its body is the message of
// the channel's kind, and the deliverer reads the channel's URL when it sends.
func (s *Service) enqueueChat(ctx context.Context, n *notice, t sluice.NotificationTarget, key string) error {
	ch, err := s.Store.GetChatChannel(ctx, t.Address)
	if err != nil {
		return err
	}
	body := n.slack()
	if ch.Kind == sluice.ProtocolTeams {
		body = n.teams()
	}
	msg, err := json.Marshal(body)
	if err != nil {
		return err
	}
	d := &sluice.Delivery{ID: keyID(key), Key: key, Target: ch.ARN, Protocol: ch.Kind, Endpoint: ch.ARN,
		Message: string(msg), Created: s.Now()}
	return s.Store.EnqueueDeliveries(ctx, d)
}

// keyID is a UUID-shaped id derived from a delivery's key, so a delivery enqueued again
// has the same id.
func keyID(key string) string {
	h := sha256.Sum256([]byte("sluice/chat/" + key))
	h[6] = h[6]&0x0f | 0x50
	h[8] = h[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}
