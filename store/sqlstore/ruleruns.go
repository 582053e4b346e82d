package sqlstore

import (
	"context"

	"sluice"
)

const ruleRunCols = `id, execution_id, stage_name, stage_attempt, condition_type, rule_name,
pipeline_version, status, start_time, last_update_time, updated_by, summary,
external_execution_id, external_execution_url, error_code, error_message, deadline, body`

const (
	qInsertRuleRun = `INSERT INTO rule_runs (` + ruleRunCols + `, pipeline_name)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)
ON CONFLICT (id) DO NOTHING`
	qUpdateRuleRun = `UPDATE rule_runs SET stage_name = ?3, stage_attempt = ?4, condition_type = ?5,
rule_name = ?6, pipeline_version = ?7, status = ?8, start_time = ?9, last_update_time = ?10,
updated_by = ?11, summary = ?12, external_execution_id = ?13, external_execution_url = ?14,
error_code = ?15, error_message = ?16, deadline = ?17, body = ?18
WHERE id = ?1 AND execution_id = ?2 AND pipeline_name = ?19 AND status = ?20`
)

// ruleRunBody holds the rule run's type, maps and slices, kept as one JSON column.
type ruleRunBody struct {
	RuleType              sluice.RuleTypeID    `json:"ruleType"`
	Configuration         map[string]string    `json:"configuration,omitempty"`
	ResolvedConfiguration map[string]string    `json:"resolvedConfiguration,omitempty"`
	RoleARN               string               `json:"roleArn,omitempty"`
	Region                string               `json:"region,omitempty"`
	InputArtifacts        []sluice.ArtifactRef `json:"inputArtifacts,omitempty"`
}

func scanRuleRun(sc scanner, extra ...any) (*sluice.RuleRun, error) {
	var (
		r                        sluice.RuleRun
		start, updated, deadline int64
		body                     string
		b                        ruleRunBody
	)
	dest := append([]any{&r.ID, &r.ExecutionID, &r.StageName, &r.StageAttempt, &r.Condition,
		&r.RuleName, &r.PipelineVersion, &r.Status, &start, &updated, &r.UpdatedBy, &r.Summary,
		&r.ExternalExecutionID, &r.ExternalExecutionURL, &r.ErrorCode, &r.ErrorMessage, &deadline,
		&body}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return nil, err
	}
	if err := fromJSON(body, &b); err != nil {
		return nil, err
	}
	r.StartTime, r.LastUpdateTime, r.Deadline = tm(start), tm(updated), tm(deadline)
	r.RuleType, r.Configuration, r.ResolvedConfiguration = b.RuleType, b.Configuration, b.ResolvedConfiguration
	r.RoleARN, r.Region, r.InputArtifacts = b.RoleARN, b.Region, b.InputArtifacts
	return &r, nil
}

func scanOneRuleRun(sc scanner) (*sluice.RuleRun, error) { return scanRuleRun(sc) }

// applyRuleRun inserts or guard-updates one rule run (key: its id), as applyActionRun does.
func (t *tx) applyRuleRun(ctx context.Context, ch sluice.Change[sluice.RuleRun, sluice.RuleStatus]) error {
	r := ch.Row
	body, err := toJSON(ruleRunBody{r.RuleType, r.Configuration, r.ResolvedConfiguration, r.RoleARN,
		r.Region, r.InputArtifacts})
	if err != nil {
		return err
	}
	args := []any{r.ID, r.ExecutionID, r.StageName, r.StageAttempt, r.Condition, r.RuleName,
		r.PipelineVersion, r.Status, ts(r.StartTime), ts(r.LastUpdateTime), r.UpdatedBy, r.Summary,
		r.ExternalExecutionID, r.ExternalExecutionURL, r.ErrorCode, r.ErrorMessage, ts(r.Deadline),
		body, t.name}
	query := qInsertRuleRun
	if !ch.Insert {
		query, args = qUpdateRuleRun, append(args, ch.From)
	}
	ok, err := t.c.execOne(ctx, query, args...)
	if ok && ch.Insert && !r.Deadline.IsZero() {
		t.notify(ctx, sluice.TopicTimers)
	}
	if err != nil || ok {
		return err
	}
	return conflict("Rule", ch.Insert, "rule run "+r.ID, string(ch.From))
}
