package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"sluice"
)

const (
	qPutInline           = `INSERT INTO iam_inline_policies (kind, owner, name, document) VALUES (?, ?, ?, ?) ON CONFLICT (kind, owner, name) DO UPDATE SET document = excluded.document`
	qInline              = `SELECT name, document FROM iam_inline_policies WHERE kind = ? AND owner = ? AND name = ?`
	qInlines             = `SELECT name, document FROM iam_inline_policies WHERE kind = ? AND owner = ? ORDER BY name`
	qDeleteInline        = `DELETE FROM iam_inline_policies WHERE kind = ? AND owner = ? AND name = ?`
	policyCols           = `p.name, p.path, p.id, p.arn, p.description, p.default_version, v.document, p.created, p.updated`
	policyFrom           = ` FROM iam_policies p JOIN iam_policy_versions v ON v.policy_arn = p.arn AND v.version_id = p.default_version`
	qInsertPolicy        = `INSERT INTO iam_policies (arn, name, path, id, description, default_version, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`
	qInsertPolicyVersion = `INSERT INTO iam_policy_versions (policy_arn, version_id, document, created) VALUES (?, ?, ?, ?)`
	qPolicy              = `SELECT ` + policyCols + policyFrom + ` WHERE p.arn = ?`
	qPolicies            = `SELECT ` + policyCols + policyFrom + ` ORDER BY p.name`
	qVersion             = `SELECT v.version_id, v.document, v.created, v.version_id = p.default_version FROM iam_policy_versions v JOIN iam_policies p ON p.arn = v.policy_arn WHERE v.policy_arn = ? AND v.version_id = ?`
	qDeleteVers          = `DELETE FROM iam_policy_versions WHERE policy_arn = ?`
	qDeletePolicy        = `DELETE FROM iam_policies WHERE arn = ?`
	qAttach              = `INSERT INTO iam_attachments (kind, owner, policy_arn) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`
	qDetach              = `DELETE FROM iam_attachments WHERE kind = ? AND owner = ? AND policy_arn = ?`
	qAttached            = `SELECT policy_arn FROM iam_attachments WHERE kind = ? AND owner = ? ORDER BY policy_arn`
	qAttachments         = `SELECT count(*) FROM iam_attachments WHERE policy_arn = ?`
)

func inlineNotFound(o sluice.PolicyOwner, name string) error {
	return sluice.Errorf(sluice.ENotFound, "InlinePolicy", "The %s policy with name %s cannot be found.", o.Kind, name)
}

func policyNotFound(arn string) error {
	return sluice.Errorf(sluice.ENotFound, "Policy", "Policy %s does not exist or is not attachable.", arn)
}

// PutInlinePolicy stores an inline policy of o, replacing one of the same name.
func (e executor) PutInlinePolicy(ctx context.Context, o sluice.PolicyOwner, p sluice.InlinePolicy) error {
	return e.write(ctx, func(c conn) error {
		owner, err := executor{db: e.db, in: &txState{c: c}}.ownerExists(ctx, o)
		if err != nil {
			return err
		}
		_, err = c.exec(ctx, qPutInline, o.Kind, owner, p.Name, p.Document)
		return err
	})
}

// GetInlinePolicy returns one inline policy (ENotFound/InlinePolicy).
func (e executor) GetInlinePolicy(ctx context.Context, o sluice.PolicyOwner, name string) (*sluice.InlinePolicy, error) {
	var p sluice.InlinePolicy
	err := e.rd().queryRow(ctx, qInline, o.Kind, o.Name, name).Scan(&p.Name, &p.Document)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, inlineNotFound(o, name)
	}
	return &p, err
}

// InlinePolicies returns o's inline policies by name.
func (e executor) InlinePolicies(ctx context.Context, o sluice.PolicyOwner) ([]sluice.InlinePolicy, error) {
	ps, err := queryAll(ctx, e.rd(), func(sc scanner) (*sluice.InlinePolicy, error) {
		var p sluice.InlinePolicy
		return &p, sc.Scan(&p.Name, &p.Document)
	}, qInlines, o.Kind, o.Name)
	out := make([]sluice.InlinePolicy, len(ps))
	for i, p := range ps {
		out[i] = *p
	}
	return out, err
}

// DeleteInlinePolicy removes one inline policy (ENotFound/InlinePolicy).
func (e executor) DeleteInlinePolicy(ctx context.Context, o sluice.PolicyOwner, name string) error {
	ok, err := e.wr().execOne(ctx, qDeleteInline, o.Kind, o.Name, name)
	if err != nil || ok {
		return err
	}
	return inlineNotFound(o, name)
}

func scanPolicy(sc scanner) (*sluice.ManagedPolicy, error) {
	var (
		p                sluice.ManagedPolicy
		created, updated int64
	)
	err := sc.Scan(&p.Name, &p.Path, &p.ID, &p.ARN, &p.Description, &p.DefaultVersion, &p.Document, &created, &updated)
	p.Created, p.Updated = tm(created), tm(updated)
	return &p, err
}

// CreatePolicy stores p and its default version (EAlreadyExists/Policy).
func (e executor) CreatePolicy(ctx context.Context, p *sluice.ManagedPolicy) error {
	return e.write(ctx, func(c conn) error {
		ok, err := c.execOne(ctx, qInsertPolicy, p.ARN, p.Name, p.Path, p.ID, p.Description, p.DefaultVersion, ts(p.Created), ts(p.Updated))
		if err != nil {
			return err
		}
		if !ok {
			return sluice.Errorf(sluice.EAlreadyExists, "Policy", "A policy called %s already exists. Duplicate names are not allowed.", p.Name)
		}
		_, err = c.exec(ctx, qInsertPolicyVersion, p.ARN, p.DefaultVersion, p.Document, ts(p.Created))
		return err
	})
}

// GetPolicy returns a customer managed policy (ENotFound/Policy).
func (e executor) GetPolicy(ctx context.Context, arn string) (*sluice.ManagedPolicy, error) {
	p, err := scanPolicy(e.rd().queryRow(ctx, qPolicy, arn))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, policyNotFound(arn)
	}
	return p, err
}

// ListPolicies returns every customer managed policy by name.
func (e executor) ListPolicies(ctx context.Context) ([]*sluice.ManagedPolicy, error) {
	return queryAll(ctx, e.rd(), scanPolicy, qPolicies)
}

// GetPolicyVersion returns one version (ENotFound/Policy, ENotFound/PolicyVersion).
func (e executor) GetPolicyVersion(ctx context.Context, arn, version string) (*sluice.PolicyVersion, error) {
	v := sluice.PolicyVersion{PolicyARN: arn}
	var created int64
	err := e.rd().queryRow(ctx, qVersion, arn, version).Scan(&v.VersionID, &v.Document, &created, &v.Default)
	if errors.Is(err, sql.ErrNoRows) {
		if _, err := e.GetPolicy(ctx, arn); err != nil {
			return nil, err
		}
		return nil, sluice.Errorf(sluice.ENotFound, "PolicyVersion", "Policy %s version %s does not exist or is not attachable.", arn, version)
	}
	v.Created = tm(created)
	return &v, err
}

// DeletePolicy removes a policy and its versions (ENotFound/Policy).
func (e executor) DeletePolicy(ctx context.Context, arn string) error {
	return e.write(ctx, func(c conn) error {
		if _, err := c.exec(ctx, qDeleteVers, arn); err != nil {
			return err
		}
		ok, err := c.execOne(ctx, qDeletePolicy, arn)
		if err != nil || ok {
			return err
		}
		return policyNotFound(arn)
	})
}

// AttachPolicy attaches arn to o (the owner must exist).
func (e executor) AttachPolicy(ctx context.Context, o sluice.PolicyOwner, arn string) error {
	return e.write(ctx, func(c conn) error {
		owner, err := executor{db: e.db, in: &txState{c: c}}.ownerExists(ctx, o)
		if err != nil {
			return err
		}
		_, err = c.exec(ctx, qAttach, o.Kind, owner, arn)
		return err
	})
}

// DetachPolicy ends an attachment (ENotFound/Attachment).
func (e executor) DetachPolicy(ctx context.Context, o sluice.PolicyOwner, arn string) error {
	ok, err := e.wr().execOne(ctx, qDetach, o.Kind, o.Name, arn)
	if err != nil || ok {
		return err
	}
	return sluice.Errorf(sluice.ENotFound, "Attachment", "Policy %s was not found.", arn)
}

// AttachedPolicies returns the ARNs attached to o.
func (e executor) AttachedPolicies(ctx context.Context, o sluice.PolicyOwner) ([]string, error) {
	arns, err := queryAll(ctx, e.rd(), func(sc scanner) (*string, error) {
		var s string
		return &s, sc.Scan(&s)
	}, qAttached, o.Kind, o.Name)
	out := make([]string, len(arns))
	for i, a := range arns {
		out[i] = *a
	}
	return out, err
}

// PolicyAttachments counts arn's attachments.
func (e executor) PolicyAttachments(ctx context.Context, arn string) (int, error) {
	var n int
	err := e.rd().queryRow(ctx, qAttachments, arn).Scan(&n)
	return n, err
}
