package sqlstore

import (
	"context"

	"sluice"
)

const (
	qPushHeads        = `SELECT branch, head, seq FROM push_heads WHERE repo = ?`
	qPushHeadsUnknown = `SELECT count(*) FROM push_heads_unknown WHERE repo = ?`
	qInsertPushHead   = `INSERT INTO push_heads (repo, branch, head, seq) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`
	qUpdatePushHead   = `UPDATE push_heads SET head = ?, seq = ? WHERE repo = ? AND branch = ? AND seq = ?`
	qBaselinePushHead = `INSERT INTO push_heads (repo, branch, head, seq) VALUES (?, ?, ?, 0)
ON CONFLICT (repo, branch) DO UPDATE SET head = excluded.head`
	qForgetUnknown   = `DELETE FROM push_heads_unknown WHERE repo = ?`
	qDeletePushHeads = `DELETE FROM push_heads WHERE repo = ?`
)

var _ sluice.PushHeadStore = executor{}

// PushHeads returns the branches of repo the push trigger acted on, and whether they are
// known.
func (e executor) PushHeads(ctx context.Context, repo string) (map[string]sluice.PushHead, bool, error) {
	var unknown int
	if err := e.rd().queryRow(ctx, qPushHeadsUnknown, repo).Scan(&unknown); err != nil {
		return nil, false, err
	}
	rows, err := e.rd().query(ctx, qPushHeads, repo)
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	out := map[string]sluice.PushHead{}
	for rows.Next() {
		var (
			branch string
			h      sluice.PushHead
		)
		if err := rows.Scan(&branch, &h.Head, &h.Seq); err != nil {
			return nil, false, err
		}
		out[branch] = h
	}
	return out, unknown == 0, rows.Err()
}

// SetPushHead records h as acted on when the stored Seq is h.Seq-1 (none stored for 1).
func (e executor) SetPushHead(ctx context.Context, repo, branch string, h sluice.PushHead) error {
	q, args := qUpdatePushHead, []any{h.Head, h.Seq, repo, branch, h.Seq - 1}
	if h.Seq == 1 {
		q, args = qInsertPushHead, []any{repo, branch, h.Head, h.Seq}
	}
	ok, err := e.wr().execOne(ctx, q, args...)
	if err != nil || ok {
		return err
	}
	return sluice.Errorf(sluice.EConflict, "PushHead", "the head of %s %s was recorded by another push", repo, branch)
}

// BaselinePushHeads takes heads as acted on and marks repo's heads known, in one transaction.
func (e executor) BaselinePushHeads(ctx context.Context, repo string, heads map[string]string) error {
	return e.write(ctx, func(c conn) error {
		for branch, head := range heads {
			if _, err := c.exec(ctx, qBaselinePushHead, repo, branch, head); err != nil {
				return err
			}
		}
		_, err := c.exec(ctx, qForgetUnknown, repo)
		return err
	})
}

// deletePushHeads forgets a deleted repository's heads, so that one created under its name
// starts from none.
func deletePushHeads(ctx context.Context, c conn, repo string) error {
	if _, err := c.exec(ctx, qDeletePushHeads, repo); err != nil {
		return err
	}
	_, err := c.exec(ctx, qForgetUnknown, repo)
	return err
}
