package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"sluice"
)

const (
	functionCols = `name, url, secret, created, updated`
	// qPutFunction keeps the created time of a function it replaces and returns it.
	qPutFunction = `INSERT INTO functions (` + functionCols + `) VALUES (?, ?, ?, ?, ?)
ON CONFLICT (name) DO UPDATE SET url = excluded.url, secret = excluded.secret, updated = excluded.updated
RETURNING created`
	qFunction       = `SELECT ` + functionCols + ` FROM functions WHERE name = ?`
	qFunctions      = `SELECT ` + functionCols + ` FROM functions WHERE name > ? ORDER BY name LIMIT ?`
	qDeleteFunction = `DELETE FROM functions WHERE name = ?`
)

func scanFunction(sc scanner) (*sluice.Function, error) {
	var (
		f                sluice.Function
		created, updated int64
	)
	if err := sc.Scan(&f.Name, &f.URL, &f.Secret, &created, &updated); err != nil {
		return nil, err
	}
	f.Created, f.LastModified = tm(created), tm(updated)
	return &f, nil
}

func functionNotFound(name string) error {
	return sluice.Errorf(sluice.ENotFound, "Function", "Function not found: %s", name)
}

// PutFunction registers f, replacing the function of the same name but keeping its Created.
func (e executor) PutFunction(ctx context.Context, f *sluice.Function) error {
	var created int64
	secret, err := e.db.seal(colFunctionSecret, f.Name, f.Secret)
	if err != nil {
		return err
	}
	err = e.wr().queryRow(ctx, qPutFunction, f.Name, f.URL, secret, ts(f.Created), ts(f.LastModified)).Scan(&created)
	if err != nil {
		return err
	}
	f.Created = tm(created)
	return nil
}

// GetFunction returns the named function (ENotFound/Function).
func (e executor) GetFunction(ctx context.Context, name string) (*sluice.Function, error) {
	f, err := scanFunction(e.rd().queryRow(ctx, qFunction, name))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, functionNotFound(name)
	}
	if err != nil {
		return nil, err
	}
	return f, e.db.openAll(f.Name, sealedField{colFunctionSecret, &f.Secret})
}

// ListFunctions returns one page of functions by name.
func (e executor) ListFunctions(ctx context.Context, p sluice.Page) ([]*sluice.Function, string, error) {
	const kind = "functions"
	limit, cur, err := parsePage(p, kind)
	if err != nil {
		return nil, "", err
	}
	fs, err := queryAll(ctx, e.rd(), scanFunction, qFunctions, cur.Name, limit+1)
	if err != nil {
		return nil, "", err
	}
	fs, next := trim(fs, limit, func(f *sluice.Function) cursor { return cursor{Kind: kind, Name: f.Name} })
	for _, f := range fs {
		if err := e.db.openAll(f.Name, sealedField{colFunctionSecret, &f.Secret}); err != nil {
			return nil, "", err
		}
	}
	return fs, next, nil
}

// DeleteFunction removes the named function (ENotFound/Function).
func (e executor) DeleteFunction(ctx context.Context, name string) error {
	ok, err := e.wr().execOne(ctx, qDeleteFunction, name)
	if err != nil || ok {
		return err
	}
	return functionNotFound(name)
}

var _ sluice.FunctionStore = (*DB)(nil)
