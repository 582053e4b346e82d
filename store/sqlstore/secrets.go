package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"sluice"
)

const (
	secretCols      = `arn, name, description, kms_key_id, created, changed, accessed, deleted`
	qInsertSecret   = `INSERT INTO secrets (` + secretCols + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`
	qSecret         = `SELECT ` + secretCols + ` FROM secrets WHERE arn = ?1 OR name = ?1 ORDER BY arn = ?1 DESC LIMIT 1`
	qSecrets        = `SELECT ` + secretCols + ` FROM secrets WHERE name > ? ORDER BY name LIMIT ?`
	qUpdateSecret   = `UPDATE secrets SET description = ?, kms_key_id = ?, changed = ?, accessed = ?, deleted = ? WHERE arn = ?`
	qDeleteSecret   = `DELETE FROM secrets WHERE arn = ?`
	versionCols     = `version_id, is_binary, stages, created`
	qInsertVersion2 = `INSERT INTO secret_versions (arn, version_id, value, is_binary, stages, created) VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT DO NOTHING`
	qSecretStages   = `UPDATE secret_versions SET stages = ? WHERE arn = ? AND version_id = ?`
	qSecretVersions = `SELECT ` + versionCols + ` FROM secret_versions WHERE arn = ? ORDER BY created DESC, rowid DESC`
	qSecretValue    = `SELECT ` + versionCols + `, value FROM secret_versions WHERE arn = ? AND version_id = ?`
)

func scanSecret(sc scanner) (*sluice.Secret, error) {
	var (
		s                                  sluice.Secret
		created, changed, accessed, delete int64
	)
	err := sc.Scan(&s.ARN, &s.Name, &s.Description, &s.KmsKeyID, &created, &changed, &accessed, &delete)
	s.Created, s.Changed, s.Accessed, s.Deleted = tm(created), tm(changed), tm(accessed), tm(delete)
	return &s, err
}

func scanVersion(sc scanner, more ...any) (*sluice.SecretVersion, error) {
	var (
		v       sluice.SecretVersion
		stages  string
		created int64
	)
	if err := sc.Scan(append([]any{&v.ID, &v.IsBinary, &stages, &created}, more...)...); err != nil {
		return nil, err
	}
	v.Created = tm(created)
	return &v, fromJSON(stages, &v.Stages)
}

func secretNotFound() error {
	return sluice.Errorf(sluice.ENotFound, "Secret", "Secrets Manager can't find the specified secret.")
}

func versionNotFound() error {
	return sluice.Errorf(sluice.ENotFound, "SecretVersion", "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT")
}

// CreateSecret stores s (EAlreadyExists/Secret when its name or ARN is taken).
func (e executor) CreateSecret(ctx context.Context, s *sluice.Secret) error {
	ok, err := e.wr().execOne(ctx, qInsertSecret, s.ARN, s.Name, s.Description, s.KmsKeyID, ts(s.Created), ts(s.Changed),
		ts(s.Accessed), ts(s.Deleted))
	if err != nil || ok {
		return err
	}
	return sluice.Errorf(sluice.EAlreadyExists, "Secret", "The operation failed because the secret %s already exists.", s.Name)
}

// GetSecret returns the secret whose ARN or name is id (ENotFound/Secret).
func (e executor) GetSecret(ctx context.Context, id string) (*sluice.Secret, error) {
	s, err := scanSecret(e.rd().queryRow(ctx, qSecret, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, secretNotFound()
	}
	return s, err
}

// UpdateSecret replaces the mutable fields of the secret s.ARN (ENotFound/Secret).
func (e executor) UpdateSecret(ctx context.Context, s *sluice.Secret) error {
	ok, err := e.wr().execOne(ctx, qUpdateSecret, s.Description, s.KmsKeyID, ts(s.Changed), ts(s.Accessed), ts(s.Deleted), s.ARN)
	if err != nil || ok {
		return err
	}
	return secretNotFound()
}

// ListSecrets returns one page of secrets by name.
func (e executor) ListSecrets(ctx context.Context, p sluice.Page) ([]*sluice.Secret, string, error) {
	const kind = "secrets"
	limit, cur, err := parsePage(p, kind)
	if err != nil {
		return nil, "", err
	}
	ss, err := queryAll(ctx, e.rd(), scanSecret, qSecrets, cur.Name, limit+1)
	if err != nil {
		return nil, "", err
	}
	ss, next := trim(ss, limit, func(s *sluice.Secret) cursor { return cursor{Kind: kind, Name: s.Name} })
	return ss, next, nil
}

// DeleteSecret removes the secret, its versions (by cascade) and its tags.
func (e executor) DeleteSecret(ctx context.Context, arn string) error {
	return e.write(ctx, func(c conn) error {
		ok, err := c.execOne(ctx, qDeleteSecret, arn)
		if err != nil {
			return err
		}
		if !ok {
			return secretNotFound()
		}
		_, err = c.exec(ctx, qDeleteTags, arn)
		return err
	})
}

// PutSecretVersion stores v, its value sealed.
func (e executor) PutSecretVersion(ctx context.Context, arn string, v *sluice.SecretVersion) error {
	stages, err := toJSON(v.Stages)
	if err != nil {
		return err
	}
	plain := v.String
	if v.IsBinary {
		plain = string(v.Binary)
	}
	value, err := e.db.seal(colSecretValue, arn+" "+v.ID, plain)
	if err != nil {
		return err
	}
	return e.write(ctx, func(c conn) error {
		var n int
		if err := c.queryRow(ctx, `SELECT count(*) FROM secrets WHERE arn = ?`, arn).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return secretNotFound()
		}
		ok, err := c.execOne(ctx, qInsertVersion2, arn, v.ID, value, v.IsBinary, stages, ts(v.Created))
		if err != nil || ok {
			return err
		}
		return sluice.Errorf(sluice.EAlreadyExists, "SecretVersion", "A version with VersionId %s already exists.", v.ID)
	})
}

// SetSecretStages replaces the staging labels of one version.
func (e executor) SetSecretStages(ctx context.Context, arn, id string, stages []string) error {
	js, err := toJSON(stages)
	if err != nil {
		return err
	}
	ok, err := e.wr().execOne(ctx, qSecretStages, js, arn, id)
	if err != nil || ok {
		return err
	}
	return versionNotFound()
}

// SecretVersions returns the versions of arn, newest first, without values.
func (e executor) SecretVersions(ctx context.Context, arn string) ([]*sluice.SecretVersion, error) {
	return queryAll(ctx, e.rd(), func(sc scanner) (*sluice.SecretVersion, error) { return scanVersion(sc) }, qSecretVersions, arn)
}

// SecretValue returns one version with its value opened.
func (e executor) SecretValue(ctx context.Context, arn, id string) (*sluice.SecretVersion, error) {
	var sealed string
	v, err := scanVersion(e.rd().queryRow(ctx, qSecretValue, arn, id), &sealed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, versionNotFound()
	}
	if err != nil {
		return nil, err
	}
	plain, err := e.db.open(colSecretValue, arn+" "+id, sealed)
	if err != nil {
		return nil, err
	}
	if v.IsBinary {
		v.Binary = []byte(plain)
	} else {
		v.String = plain
	}
	return v, nil
}

const qPipelineAuthor = `SELECT author FROM pipeline_versions WHERE pipeline_name = ? AND version = ?`

// PipelineAuthor returns the principal that saved one version of a pipeline.
func (e executor) PipelineAuthor(ctx context.Context, name string, version int) (string, error) {
	var author string
	err := e.rd().queryRow(ctx, qPipelineAuthor, name, version).Scan(&author)
	if errors.Is(err, sql.ErrNoRows) {
		return "", pipelineNotFound(name)
	}
	return author, err
}
