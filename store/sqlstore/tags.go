package sqlstore

import (
	"context"
	"sort"

	"sluice"
)

const (
	qPutTag = `INSERT INTO tags (arn, key, value) VALUES (?, ?, ?)
ON CONFLICT (arn, key) DO UPDATE SET value = excluded.value`
	qTags     = `SELECT key, value FROM tags WHERE arn = ?`
	qUntagKey = `DELETE FROM tags WHERE arn = ? AND key = ?`
)

// ListTags returns the tags of arn; an ARN without tags has an empty map.
func (e executor) ListTags(ctx context.Context, arn string) (map[string]string, error) {
	rows, err := e.rd().query(ctx, qTags, arn)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	tags := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		tags[k] = v
	}
	return tags, rows.Err()
}

// TagResource adds tags to arn, replacing the values of keys it already has.
func (e executor) TagResource(ctx context.Context, arn string, tags map[string]string) error {
	return e.write(ctx, func(c conn) error { return putTags(ctx, c, arn, tags) })
}

// UntagResource removes keys from arn; keys it does not have are ignored.
func (e executor) UntagResource(ctx context.Context, arn string, keys []string) error {
	return e.write(ctx, func(c conn) error {
		for _, k := range keys {
			if _, err := c.exec(ctx, qUntagKey, arn, k); err != nil {
				return err
			}
		}
		return nil
	})
}

// putTags upserts tags in key order, so concurrent writers touch rows in the same order.
func putTags(ctx context.Context, c conn, arn string, tags map[string]string) error {
	keys := make([]string, 0, len(tags))
	for k := range tags {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if _, err := c.exec(ctx, qPutTag, arn, k, tags[k]); err != nil {
			return err
		}
	}
	return nil
}

var _ sluice.TagStore = (*DB)(nil)
