package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"sluice"
)

const (
	eventRuleCols = `name, arn, description, event_pattern, schedule_expression, state, role_arn, created, modified, next_fire`
	qPutEventRule = `INSERT INTO event_rules (` + eventRuleCols + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (name) DO UPDATE SET arn = excluded.arn, description = excluded.description,
event_pattern = excluded.event_pattern, schedule_expression = excluded.schedule_expression, state = excluded.state,
role_arn = excluded.role_arn, modified = excluded.modified, next_fire = excluded.next_fire`
	qEventRule        = `SELECT ` + eventRuleCols + ` FROM event_rules WHERE name = ?`
	qEventRules       = `SELECT ` + eventRuleCols + ` FROM event_rules WHERE name > ? AND substr(name, 1, length(?2)) = ?2 ORDER BY name LIMIT ?`
	qEnabledRules     = `SELECT ` + eventRuleCols + ` FROM event_rules WHERE state = 'ENABLED' AND event_pattern <> '' ORDER BY name`
	qDueRules         = `SELECT ` + eventRuleCols + ` FROM event_rules WHERE state = 'ENABLED' AND next_fire > 0 AND next_fire <= ? ORDER BY next_fire, name LIMIT ?`
	qNextRuleFire     = `SELECT min(next_fire) FROM event_rules WHERE state = 'ENABLED' AND next_fire > 0`
	qAdvanceRule      = `UPDATE event_rules SET next_fire = ? WHERE name = ? AND next_fire = ? AND state = 'ENABLED'`
	qDeleteEventRule  = `DELETE FROM event_rules WHERE name = ?`
	qEventTargets     = `SELECT target FROM event_targets WHERE rule = ? ORDER BY id`
	qPutEventTarget   = `INSERT INTO event_targets (rule, id, target) VALUES (?, ?, ?) ON CONFLICT (rule, id) DO UPDATE SET target = excluded.target`
	qDelEventTarget   = `DELETE FROM event_targets WHERE rule = ? AND id = ?`
	qCountEventTarget = `SELECT count(*) FROM event_targets WHERE rule = ?`
)

func scanEventRule(sc scanner) (*sluice.EventRule, error) {
	var (
		r                       sluice.EventRule
		created, modified, fire int64
	)
	err := sc.Scan(&r.Name, &r.ARN, &r.Description, &r.EventPattern, &r.ScheduleExpression, &r.State, &r.RoleARN,
		&created, &modified, &fire)
	r.Created, r.Modified, r.NextFire = tm(created), tm(modified), tm(fire)
	return &r, err
}

func eventRuleNotFound(name string) error {
	return sluice.Errorf(sluice.ENotFound, "EventRule", "Rule %s does not exist on EventBus default.", name)
}

// PutEventRule creates or replaces the rule r.Name, keeping its targets and Created.
func (e executor) PutEventRule(ctx context.Context, r *sluice.EventRule) error {
	_, err := e.wr().exec(ctx, qPutEventRule, r.Name, r.ARN, r.Description, r.EventPattern, r.ScheduleExpression, r.State,
		r.RoleARN, ts(r.Created), ts(r.Modified), ts(r.NextFire))
	if err == nil && !r.NextFire.IsZero() {
		e.notify(ctx, sluice.TopicEventRules)
	}
	return err
}

// GetEventRule returns the rule (ENotFound/EventRule).
func (e executor) GetEventRule(ctx context.Context, name string) (*sluice.EventRule, error) {
	r, err := scanEventRule(e.rd().queryRow(ctx, qEventRule, name))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, eventRuleNotFound(name)
	}
	return r, err
}

// ListEventRules returns a page of rules by name.
func (e executor) ListEventRules(ctx context.Context, f sluice.EventRuleFilter) ([]*sluice.EventRule, string, error) {
	const kind = "eventrules"
	limit, cur, err := parsePage(f.Page, kind)
	if err != nil {
		return nil, "", err
	}
	rs, err := queryAll(ctx, e.rd(), scanEventRule, qEventRules, cur.Name, f.NamePrefix, limit+1)
	if err != nil {
		return nil, "", err
	}
	rs, next := trim(rs, limit, func(r *sluice.EventRule) cursor { return cursor{Kind: kind, Name: r.Name} })
	return rs, next, nil
}

// DeleteEventRule removes the rule, its targets (by cascade) and its tags.
func (e executor) DeleteEventRule(ctx context.Context, name string) error {
	return e.write(ctx, func(c conn) error {
		r, err := scanEventRule(c.queryRow(ctx, qEventRule, name))
		if errors.Is(err, sql.ErrNoRows) {
			return eventRuleNotFound(name)
		}
		if err != nil {
			return err
		}
		if _, err := c.exec(ctx, qDeleteEventRule, name); err != nil {
			return err
		}
		_, err = c.exec(ctx, qDeleteTags, r.ARN)
		return err
	})
}

// PutEventTargets adds or replaces targets by ID, at most MaxEventTargets per rule.
func (e executor) PutEventTargets(ctx context.Context, rule string, ts []*sluice.EventTarget) error {
	return e.write(ctx, func(c conn) error {
		if err := ruleExists(ctx, c, rule); err != nil {
			return err
		}
		for _, t := range ts {
			js, err := toJSON(t)
			if err != nil {
				return err
			}
			if _, err := c.exec(ctx, qPutEventTarget, rule, t.ID, js); err != nil {
				return err
			}
		}
		var n int
		if err := c.queryRow(ctx, qCountEventTarget, rule).Scan(&n); err != nil {
			return err
		}
		if n > sluice.MaxEventTargets {
			return sluice.Errorf(sluice.ELimit, "EventTarget", "The requested resource exceeds the maximum number allowed.")
		}
		return nil
	})
}

func ruleExists(ctx context.Context, c conn, rule string) error {
	var n int
	if err := c.queryRow(ctx, `SELECT count(*) FROM event_rules WHERE name = ?`, rule).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return eventRuleNotFound(rule)
	}
	return nil
}

// RemoveEventTargets removes the targets with those IDs.
func (e executor) RemoveEventTargets(ctx context.Context, rule string, ids []string) error {
	return e.write(ctx, func(c conn) error {
		if err := ruleExists(ctx, c, rule); err != nil {
			return err
		}
		for _, id := range ids {
			if _, err := c.exec(ctx, qDelEventTarget, rule, id); err != nil {
				return err
			}
		}
		return nil
	})
}

// EventTargets returns the rule's targets by ID.
func (e executor) EventTargets(ctx context.Context, rule string) ([]*sluice.EventTarget, error) {
	c := e.rd()
	if err := ruleExists(ctx, c, rule); err != nil {
		return nil, err
	}
	return queryAll(ctx, c, scanEventTarget, qEventTargets, rule)
}

func scanEventTarget(sc scanner) (*sluice.EventTarget, error) {
	var js string
	if err := sc.Scan(&js); err != nil {
		return nil, err
	}
	var t sluice.EventTarget
	return &t, fromJSON(js, &t)
}

// EnabledEventRules returns the enabled rules with a pattern.
func (e executor) EnabledEventRules(ctx context.Context) ([]*sluice.EventRule, error) {
	return queryAll(ctx, e.rd(), scanEventRule, qEnabledRules)
}

// DueEventRules returns enabled rules due at now, earliest first.
func (e executor) DueEventRules(ctx context.Context, now time.Time, limit int) ([]*sluice.EventRule, error) {
	return queryAll(ctx, e.rd(), scanEventRule, qDueRules, ts(now), limit)
}

// NextEventRuleFire is the earliest NextFire of an enabled rule.
func (e executor) NextEventRuleFire(ctx context.Context) (time.Time, bool, error) {
	var n sql.NullInt64
	if err := e.rd().queryRow(ctx, qNextRuleFire).Scan(&n); err != nil {
		return time.Time{}, false, err
	}
	return tm(n.Int64), n.Valid, nil
}

// AdvanceEventRule moves NextFire from from to to when it still is from.
func (e executor) AdvanceEventRule(ctx context.Context, name string, from, to time.Time) (bool, error) {
	return e.wr().execOne(ctx, qAdvanceRule, ts(to), name, ts(from))
}
