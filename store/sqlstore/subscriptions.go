package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"sluice"
)

const (
	subCols      = `arn, topic_arn, protocol, endpoint, owner, confirmed, token, token_expires, attributes, created`
	qInsertSub   = `INSERT INTO subscriptions (` + subCols + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`
	qTopicExists = `SELECT count(*) FROM topics WHERE arn = ?`
	qSub         = `SELECT ` + subCols + ` FROM subscriptions WHERE arn = ?`
	qSubEndpoint = `SELECT ` + subCols + ` FROM subscriptions WHERE topic_arn = ? AND protocol = ? AND endpoint = ?`
	qUpdateSub   = `UPDATE subscriptions SET confirmed = ?, token = ?, token_expires = ?, attributes = ? WHERE arn = ?`
	qConfirmSub  = `UPDATE subscriptions SET confirmed = 1
WHERE topic_arn = ?1 AND token = ?2 AND token <> '' AND (confirmed = 1 OR token_expires > ?3)
RETURNING ` + subCols
	qDeleteSub    = `DELETE FROM subscriptions WHERE arn = ?`
	qSubs         = `SELECT ` + subCols + ` FROM subscriptions WHERE (?1 = '' OR topic_arn = ?1) AND arn > ?2 ORDER BY arn LIMIT ?3`
	qConfirmedSub = `SELECT ` + subCols + ` FROM subscriptions WHERE topic_arn = ? AND confirmed = 1 ORDER BY arn`
	qCountSubs    = `SELECT coalesce(sum(confirmed), 0), count(*) - coalesce(sum(confirmed), 0) FROM subscriptions WHERE topic_arn = ?`
	qPurgeSubs    = `DELETE FROM subscriptions WHERE confirmed = 0 AND token_expires < ?`
)

func scanSub(sc scanner) (*sluice.Subscription, error) {
	var (
		s                sluice.Subscription
		attrs            string
		expires, created int64
	)
	err := sc.Scan(&s.ARN, &s.TopicARN, &s.Protocol, &s.Endpoint, &s.Owner, &s.Confirmed, &s.Token, &expires, &attrs, &created)
	if err != nil {
		return nil, err
	}
	s.TokenExpires, s.Created = tm(expires), tm(created)
	return &s, fromJSON(attrs, &s.Attributes)
}

func subNotFound() error {
	return sluice.Errorf(sluice.ENotFound, "Subscription", "Subscription does not exist")
}

// CreateSubscription stores s (ENotFound/Topic, EAlreadyExists/Subscription).
func (e executor) CreateSubscription(ctx context.Context, s *sluice.Subscription) error {
	attrs, err := attrsJSON(s.Attributes)
	if err != nil {
		return err
	}
	return e.write(ctx, func(c conn) error {
		var n int
		if err := c.queryRow(ctx, qTopicExists, s.TopicARN).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return topicNotFound()
		}
		ok, err := c.execOne(ctx, qInsertSub, s.ARN, s.TopicARN, s.Protocol, s.Endpoint, s.Owner, bit(s.Confirmed), s.Token,
			ts(s.TokenExpires), attrs, ts(s.Created))
		if err != nil || ok {
			return err
		}
		return sluice.Errorf(sluice.EAlreadyExists, "Subscription", "Subscription already exists")
	})
}

// GetSubscription returns the subscription arn (ENotFound/Subscription).
func (e executor) GetSubscription(ctx context.Context, arn string) (*sluice.Subscription, error) {
	return oneSub(scanSub(e.rd().queryRow(ctx, qSub, arn)))
}

// SubscriptionByEndpoint returns the topic's subscription of protocol and endpoint.
func (e executor) SubscriptionByEndpoint(ctx context.Context, topicARN, protocol, endpoint string) (*sluice.Subscription, error) {
	return oneSub(scanSub(e.rd().queryRow(ctx, qSubEndpoint, topicARN, protocol, endpoint)))
}

func oneSub(s *sluice.Subscription, err error) (*sluice.Subscription, error) {
	if errors.Is(err, sql.ErrNoRows) {
		return nil, subNotFound()
	}
	return s, err
}

// UpdateSubscription replaces the mutable fields of the subscription s.ARN.
func (e executor) UpdateSubscription(ctx context.Context, s *sluice.Subscription) error {
	attrs, err := attrsJSON(s.Attributes)
	if err != nil {
		return err
	}
	ok, err := e.wr().execOne(ctx, qUpdateSub, bit(s.Confirmed), s.Token, ts(s.TokenExpires), attrs, s.ARN)
	if err != nil || ok {
		return err
	}
	return subNotFound()
}

// ConfirmSubscription confirms the topic's subscription holding token, in one guarded update.
func (e executor) ConfirmSubscription(ctx context.Context, topicARN, token string, now time.Time) (*sluice.Subscription, error) {
	var s *sluice.Subscription
	err := e.write(ctx, func(c conn) error {
		var err error
		s, err = oneSub(scanSub(c.queryRow(ctx, qConfirmSub, topicARN, token, ts(now))))
		return err
	})
	return s, err
}

// DeleteSubscription removes the subscription arn (ENotFound/Subscription).
func (e executor) DeleteSubscription(ctx context.Context, arn string) error {
	ok, err := e.wr().execOne(ctx, qDeleteSub, arn)
	if err != nil || ok {
		return err
	}
	return subNotFound()
}

// ListSubscriptions returns one page of subscriptions, those of f.TopicARN when set, by ARN.
func (e executor) ListSubscriptions(ctx context.Context, f sluice.SubscriptionFilter) ([]*sluice.Subscription, string, error) {
	kind := "subscriptions:" + f.TopicARN
	limit, cur, err := parsePage(f.Page, kind)
	if err != nil {
		return nil, "", err
	}
	ss, err := queryAll(ctx, e.rd(), scanSub, qSubs, f.TopicARN, cur.Name, limit+1)
	if err != nil {
		return nil, "", err
	}
	ss, next := trim(ss, limit, func(s *sluice.Subscription) cursor { return cursor{Kind: kind, Name: s.ARN} })
	return ss, next, nil
}

// ConfirmedSubscriptions returns every confirmed subscription of the topic, by ARN.
func (e executor) ConfirmedSubscriptions(ctx context.Context, topicARN string) ([]*sluice.Subscription, error) {
	return queryAll(ctx, e.rd(), scanSub, qConfirmedSub, topicARN)
}

// CountSubscriptions returns how many of the topic's subscriptions are confirmed and pending.
func (e executor) CountSubscriptions(ctx context.Context, topicARN string) (confirmed, pending int, err error) {
	err = e.rd().queryRow(ctx, qCountSubs, topicARN).Scan(&confirmed, &pending)
	return confirmed, pending, err
}

// DeleteUnconfirmed removes the unconfirmed subscriptions whose token expired before now.
func (e executor) DeleteUnconfirmed(ctx context.Context, now time.Time) (int, error) {
	res, err := e.wr().exec(ctx, qPurgeSubs, ts(now))
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}
