package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"sluice"
)

var _ sluice.NotificationRuleStore = executor{}

const (
	ruleCols                = `arn, name, resource, event_types, detail_type, status, created_by, created, modified`
	qInsertNotificationRule = `INSERT INTO notification_rules (` + ruleCols + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT DO NOTHING`
	qNotificationRule       = `SELECT ` + ruleCols + ` FROM notification_rules WHERE arn = ?`
	qNotificationRulesFor   = `SELECT ` + ruleCols + ` FROM notification_rules WHERE resource = ? ORDER BY arn`
	qUpdateNotificationRule = `UPDATE notification_rules SET name = ?, event_types = ?, detail_type = ?, status = ?, modified = ?
WHERE arn = ?`
	qDeleteNotificationRule = `DELETE FROM notification_rules WHERE arn = ?`
	qRuleNameTaken          = `SELECT count(*) FROM notification_rules WHERE name = ? AND arn <> ?`
	// The filters of ListNotificationRules: an empty value matches every rule.
	qNotificationRules = `SELECT ` + ruleCols + ` FROM notification_rules r WHERE arn > ?1
AND (?2 = '' OR EXISTS (SELECT 1 FROM json_each(r.event_types) WHERE value = ?2))
AND (?3 = '' OR created_by = ?3) AND (?4 = '' OR resource = ?4)
AND (?5 = '' OR EXISTS (SELECT 1 FROM notification_rule_targets t WHERE t.rule_arn = r.arn AND t.address = ?5))
ORDER BY arn LIMIT ?6`
	qInsertTarget = `INSERT INTO notification_targets (address, type, status) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`
	qRuleTargets  = `SELECT t.address, t.type, t.status FROM notification_rule_targets rt
JOIN notification_targets t ON t.address = rt.address WHERE rt.rule_arn = ? ORDER BY t.address`
	qLinkTarget    = `INSERT INTO notification_rule_targets (rule_arn, address) VALUES (?, ?) ON CONFLICT DO NOTHING`
	qUnlinkTargets = `DELETE FROM notification_rule_targets WHERE rule_arn = ?`
	qTargets       = `SELECT address, type, status FROM notification_targets WHERE address > ?1
AND (?2 = '' OR type = ?2) AND (?3 = '' OR address = ?3) AND (?4 = '' OR status = ?4) ORDER BY address LIMIT ?5`
	qTargetStatus = `UPDATE notification_targets SET status = ? WHERE address = ?`
	qTargetRules  = `SELECT count(*) FROM notification_rule_targets WHERE address = ?`
	qDeleteTarget = `DELETE FROM notification_targets WHERE address = ?`
)

func scanNotificationRule(sc scanner) (*sluice.NotificationRule, error) {
	var (
		r                 sluice.NotificationRule
		types             string
		created, modified int64
	)
	if err := sc.Scan(&r.ARN, &r.Name, &r.Resource, &types, &r.DetailType, &r.Status, &r.CreatedBy, &created, &modified); err != nil {
		return nil, err
	}
	r.Created, r.Modified = tm(created), tm(modified)
	return &r, fromJSON(types, &r.EventTypeIDs)
}

func scanTarget(sc scanner) (*sluice.NotificationTarget, error) {
	var t sluice.NotificationTarget
	return &t, sc.Scan(&t.Address, &t.Type, &t.Status)
}

func ruleNotFound() error {
	return sluice.Errorf(sluice.ENotFound, "NotificationRule", "Notification rule not found.")
}

func ruleNameTaken(name string) error {
	return sluice.Errorf(sluice.EAlreadyExists, "NotificationRule", "A notification rule with the name %s already exists.", name)
}

func targetNotFound(address string) error {
	return sluice.Errorf(sluice.ENotFound, "NotificationTarget", "Target %s not found.", address)
}

// CreateNotificationRule stores r and its targets.
func (e executor) CreateNotificationRule(ctx context.Context, r *sluice.NotificationRule) error {
	types, err := toJSON(r.EventTypeIDs)
	if err != nil {
		return err
	}
	return e.write(ctx, func(c conn) error {
		if err := ruleNameFree(ctx, c, r); err != nil {
			return err
		}
		ok, err := c.execOne(ctx, qInsertNotificationRule, r.ARN, r.Name, r.Resource, types, r.DetailType, r.Status,
			r.CreatedBy, ts(r.Created), ts(r.Modified))
		if err != nil {
			return err
		}
		if !ok {
			return ruleNameTaken(r.Name)
		}
		return linkTargets(ctx, c, r)
	})
}

// ruleNameFree fails with ruleNameTaken when a rule other than r has r's name.
func ruleNameFree(ctx context.Context, c conn, r *sluice.NotificationRule) error {
	var n int
	if err := c.queryRow(ctx, qRuleNameTaken, r.Name, r.ARN).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return ruleNameTaken(r.Name)
	}
	return nil
}

// linkTargets makes r.Targets the rule's targets, storing those not yet known.
func linkTargets(ctx context.Context, c conn, r *sluice.NotificationRule) error {
	if _, err := c.exec(ctx, qUnlinkTargets, r.ARN); err != nil {
		return err
	}
	for _, t := range r.Targets {
		if _, err := c.exec(ctx, qInsertTarget, t.Address, t.Type, t.Status); err != nil {
			return err
		}
		if _, err := c.exec(ctx, qLinkTarget, r.ARN, t.Address); err != nil {
			return err
		}
	}
	return nil
}

// GetNotificationRule returns the rule with its targets.
func (e executor) GetNotificationRule(ctx context.Context, arn string) (*sluice.NotificationRule, error) {
	c := e.rd()
	r, err := scanNotificationRule(c.queryRow(ctx, qNotificationRule, arn))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ruleNotFound()
	}
	if err != nil {
		return nil, err
	}
	return r, withTargets(ctx, c, r)
}

func withTargets(ctx context.Context, c conn, rs ...*sluice.NotificationRule) error {
	for _, r := range rs {
		tgs, err := queryAll(ctx, c, scanTarget, qRuleTargets, r.ARN)
		if err != nil {
			return err
		}
		r.Targets = make([]sluice.NotificationTarget, len(tgs))
		for i, t := range tgs {
			r.Targets[i] = *t
		}
	}
	return nil
}

// UpdateNotificationRule replaces the rule's mutable fields and targets.
func (e executor) UpdateNotificationRule(ctx context.Context, r *sluice.NotificationRule) error {
	types, err := toJSON(r.EventTypeIDs)
	if err != nil {
		return err
	}
	return e.write(ctx, func(c conn) error {
		if err := ruleNameFree(ctx, c, r); err != nil {
			return err
		}
		ok, err := c.execOne(ctx, qUpdateNotificationRule, r.Name, types, r.DetailType, r.Status, ts(r.Modified), r.ARN)
		if err != nil {
			return err
		}
		if !ok {
			return ruleNotFound()
		}
		return linkTargets(ctx, c, r)
	})
}

// DeleteNotificationRule removes the rule, its links to targets (by cascade) and its tags.
func (e executor) DeleteNotificationRule(ctx context.Context, arn string) error {
	return e.write(ctx, func(c conn) error {
		ok, err := c.execOne(ctx, qDeleteNotificationRule, arn)
		if err != nil {
			return err
		}
		if !ok {
			return ruleNotFound()
		}
		_, err = c.exec(ctx, qDeleteTags, arn)
		return err
	})
}

// ListNotificationRules returns one page of rules by ARN.
func (e executor) ListNotificationRules(ctx context.Context, f sluice.NotificationRuleFilter) ([]*sluice.NotificationRule, string, error) {
	const kind = "notificationrules"
	limit, cur, err := parsePage(f.Page, kind)
	if err != nil {
		return nil, "", err
	}
	rs, err := queryAll(ctx, e.rd(), scanNotificationRule, qNotificationRules, cur.Name, f.EventTypeID, f.CreatedBy,
		f.Resource, f.TargetAddress, limit+1)
	if err != nil {
		return nil, "", err
	}
	rs, next := trim(rs, limit, func(r *sluice.NotificationRule) cursor { return cursor{Kind: kind, Name: r.ARN} })
	return rs, next, nil
}

// NotificationRulesFor returns the rules on resource with their targets.
func (e executor) NotificationRulesFor(ctx context.Context, resource string) ([]*sluice.NotificationRule, error) {
	c := e.rd()
	rs, err := queryAll(ctx, c, scanNotificationRule, qNotificationRulesFor, resource)
	if err != nil {
		return nil, err
	}
	return rs, withTargets(ctx, c, rs...)
}

// ListNotificationTargets returns one page of targets by address.
func (e executor) ListNotificationTargets(ctx context.Context, f sluice.NotificationTargetFilter) ([]*sluice.NotificationTarget, string, error) {
	const kind = "notificationtargets"
	limit, cur, err := parsePage(f.Page, kind)
	if err != nil {
		return nil, "", err
	}
	tgs, err := queryAll(ctx, e.rd(), scanTarget, qTargets, cur.Name, f.Type, f.Address, f.Status, limit+1)
	if err != nil {
		return nil, "", err
	}
	tgs, next := trim(tgs, limit, func(t *sluice.NotificationTarget) cursor { return cursor{Kind: kind, Name: t.Address} })
	return tgs, next, nil
}

// SetNotificationTargetStatus sets a target's status.
func (e executor) SetNotificationTargetStatus(ctx context.Context, address, status string) error {
	ok, err := e.wr().execOne(ctx, qTargetStatus, status, address)
	if err != nil || ok {
		return err
	}
	return targetNotFound(address)
}

// DeleteNotificationTarget removes a target, from its rules too when force.
func (e executor) DeleteNotificationTarget(ctx context.Context, address string, force bool) error {
	return e.write(ctx, func(c conn) error {
		var n int
		if err := c.queryRow(ctx, qTargetRules, address).Scan(&n); err != nil {
			return err
		}
		if n > 0 && !force {
			return sluice.Errorf(sluice.EConflict, "NotificationTarget",
				"Target %s is still subscribed to %d notification rule(s); unsubscribe it or set ForceUnsubscribeAll.", address, n)
		}
		ok, err := c.execOne(ctx, qDeleteTarget, address) // its links go by cascade
		if err != nil {
			return err
		}
		if !ok {
			return targetNotFound(address)
		}
		return nil
	})
}
