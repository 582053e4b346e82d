package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"sluice"
)

const (
	topicCols        = `arn, name, attributes, created`
	qInsertTopic     = `INSERT INTO topics (` + topicCols + `) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`
	qTopic           = `SELECT ` + topicCols + ` FROM topics WHERE arn = ?`
	qTopics          = `SELECT ` + topicCols + ` FROM topics WHERE arn > ? ORDER BY arn LIMIT ?`
	qTopicAttributes = `UPDATE topics SET attributes = ? WHERE arn = ?`
	qDeleteTopic     = `DELETE FROM topics WHERE arn = ?`
)

func scanTopic(sc scanner) (*sluice.Topic, error) {
	var (
		t       sluice.Topic
		attrs   string
		created int64
	)
	if err := sc.Scan(&t.ARN, &t.Name, &attrs, &created); err != nil {
		return nil, err
	}
	t.Created = tm(created)
	return &t, fromJSON(attrs, &t.Attributes)
}

func topicNotFound() error { return sluice.Errorf(sluice.ENotFound, "Topic", "Topic does not exist") }

// attrsJSON encodes an attribute map; nil is stored as {}.
func attrsJSON(attrs map[string]string) (string, error) {
	if attrs == nil {
		attrs = map[string]string{}
	}
	return toJSON(attrs)
}

// CreateTopic stores t (EAlreadyExists/Topic when its ARN is taken).
func (e executor) CreateTopic(ctx context.Context, t *sluice.Topic) error {
	attrs, err := attrsJSON(t.Attributes)
	if err != nil {
		return err
	}
	ok, err := e.wr().execOne(ctx, qInsertTopic, t.ARN, t.Name, attrs, ts(t.Created))
	if err != nil || ok {
		return err
	}
	return sluice.Errorf(sluice.EAlreadyExists, "Topic", "Topic already exists: %s", t.ARN)
}

// GetTopic returns the topic arn (ENotFound/Topic).
func (e executor) GetTopic(ctx context.Context, arn string) (*sluice.Topic, error) {
	t, err := scanTopic(e.rd().queryRow(ctx, qTopic, arn))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, topicNotFound()
	}
	return t, err
}

// SetTopicAttributes replaces the attributes of the topic arn (ENotFound/Topic).
func (e executor) SetTopicAttributes(ctx context.Context, arn string, attrs map[string]string) error {
	js, err := attrsJSON(attrs)
	if err != nil {
		return err
	}
	ok, err := e.wr().execOne(ctx, qTopicAttributes, js, arn)
	if err != nil || ok {
		return err
	}
	return topicNotFound()
}

// ListTopics returns one page of topics by ARN.
func (e executor) ListTopics(ctx context.Context, p sluice.Page) ([]*sluice.Topic, string, error) {
	const kind = "topics"
	limit, cur, err := parsePage(p, kind)
	if err != nil {
		return nil, "", err
	}
	ts, err := queryAll(ctx, e.rd(), scanTopic, qTopics, cur.Name, limit+1)
	if err != nil {
		return nil, "", err
	}
	ts, next := trim(ts, limit, func(t *sluice.Topic) cursor { return cursor{Kind: kind, Name: t.ARN} })
	return ts, next, nil
}

// DeleteTopic removes the topic, its subscriptions (by cascade) and its tags.
func (e executor) DeleteTopic(ctx context.Context, arn string) error {
	return e.write(ctx, func(c conn) error {
		ok, err := c.execOne(ctx, qDeleteTopic, arn)
		if err != nil {
			return err
		}
		if !ok {
			return topicNotFound()
		}
		_, err = c.exec(ctx, qDeleteTags, arn)
		return err
	})
}
