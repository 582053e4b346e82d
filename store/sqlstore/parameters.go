package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strconv"

	"sluice"
)

const (
	paramCols   = `name, version, type, value, key_id, description, allowed_pattern, data_type, tier, modified, modified_by`
	qParamMax   = `SELECT coalesce(max(version), 0) FROM parameter_versions WHERE name = ?`
	qPutParam   = `INSERT INTO parameter_versions (` + paramCols + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	qPruneParam = `DELETE FROM parameter_versions WHERE name = ? AND version <= ?`
	qParam      = `SELECT ` + paramCols + ` FROM parameter_versions WHERE name = ?1
AND version = CASE WHEN ?2 = 0 THEN (SELECT max(version) FROM parameter_versions WHERE name = ?1) ELSE ?2 END`
	// qParamsByPath reads the latest version of each name under ?1 (a path ending in "/"):
	// direct children only unless ?2.
	qParamsByPath = `SELECT ` + paramCols + ` FROM parameter_versions p
WHERE substr(name, 1, length(?1)) = ?1 AND (?2 OR instr(substr(name, length(?1) + 1), '/') = 0)
  AND name > ?3 AND version = (SELECT max(version) FROM parameter_versions WHERE name = p.name)
ORDER BY name LIMIT ?4`
	qDeleteParam = `DELETE FROM parameter_versions WHERE name = ?`
)

func scanParam(sc scanner) (*sluice.Parameter, error) {
	var (
		p        sluice.Parameter
		modified int64
	)
	err := sc.Scan(&p.Name, &p.Version, &p.Type, &p.Value, &p.KeyID, &p.Description, &p.AllowedPattern, &p.DataType,
		&p.Tier, &modified, &p.ModifiedBy)
	p.Modified = tm(modified)
	return &p, err
}

func paramKey(name string, version int64) string { return name + " " + strconv.FormatInt(version, 10) }

// openParam opens the value of a SecureString read from its row.
func (e executor) openParam(p *sluice.Parameter) error {
	if p.Type != sluice.ParamSecureString {
		return nil
	}
	return e.db.openAll(paramKey(p.Name, p.Version), sealedField{colParameterValue, &p.Value})
}

func paramNotFound() error { return sluice.Errorf(sluice.ENotFound, "Parameter", "") }

// PutParameter stores p as the next version of its name.
func (e executor) PutParameter(ctx context.Context, p *sluice.Parameter, overwrite bool, maxVersions int) error {
	return e.write(ctx, func(c conn) error {
		var last int64
		if err := c.queryRow(ctx, qParamMax, p.Name).Scan(&last); err != nil {
			return err
		}
		if last > 0 && !overwrite {
			return sluice.Errorf(sluice.EAlreadyExists, "Parameter", "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.")
		}
		value := p.Value
		if p.Type == sluice.ParamSecureString {
			var err error
			if value, err = e.db.seal(colParameterValue, paramKey(p.Name, last+1), p.Value); err != nil {
				return err
			}
		}
		_, err := c.exec(ctx, qPutParam, p.Name, last+1, p.Type, value, p.KeyID, p.Description, p.AllowedPattern,
			p.DataType, p.Tier, ts(p.Modified), p.ModifiedBy)
		if err != nil {
			return err
		}
		p.Version = last + 1
		if maxVersions > 0 && p.Version > int64(maxVersions) {
			_, err = c.exec(ctx, qPruneParam, p.Name, p.Version-int64(maxVersions))
		}
		return err
	})
}

// GetParameter returns one version (0: the latest) of the named parameter.
func (e executor) GetParameter(ctx context.Context, name string, version int64) (*sluice.Parameter, error) {
	p, err := scanParam(e.rd().queryRow(ctx, qParam, name, version))
	if errors.Is(err, sql.ErrNoRows) {
		if version == 0 {
			return nil, paramNotFound()
		}
		if _, err := e.GetParameter(ctx, name, 0); err != nil {
			return nil, err
		}
		return nil, sluice.Errorf(sluice.ENotFound, "ParameterVersion", "Systems Manager could not find version %d of %s. Verify the version and try again.", version, name)
	}
	if err != nil {
		return nil, err
	}
	return p, e.openParam(p)
}

// ParametersByPath returns one page of the latest versions under path, by name.
func (e executor) ParametersByPath(ctx context.Context, path string, recursive bool, pg sluice.Page) ([]*sluice.Parameter, string, error) {
	const kind = "parameters"
	limit, cur, err := parsePage(pg, kind)
	if err != nil {
		return nil, "", err
	}
	ps, err := queryAll(ctx, e.rd(), scanParam, qParamsByPath, path, recursive, cur.Name, limit+1)
	if err != nil {
		return nil, "", err
	}
	ps, next := trim(ps, limit, func(p *sluice.Parameter) cursor { return cursor{Kind: kind, Name: p.Name} })
	for _, p := range ps {
		if err := e.openParam(p); err != nil {
			return nil, "", err
		}
	}
	return ps, next, nil
}

// DeleteParameter removes every version of the named parameter.
func (e executor) DeleteParameter(ctx context.Context, name string) error {
	ok, err := e.wr().execOne(ctx, qDeleteParam, name)
	if err != nil || ok {
		return err
	}
	return paramNotFound()
}
