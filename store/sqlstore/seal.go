package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
)

// secretColumn is a column that holds a secret, sealed (see sluice.Sealer) with its table,
// column and row key as associated data, so a sealed value opens only in its own place.
// This list is the one place that says which columns are sealed: writes seal through
// seal, reads open through open, and reseal walks it.
type secretColumn struct {
	table, column string
	key           string // the SQL expression of the row's key
	where         string // which rows hold a secret ("" for all)
}

var (
	colAccessKeySecret = secretColumn{table: "access_keys", column: "secret", key: "id"}
	colConnSecret      = secretColumn{table: "connections", column: "secret", key: "arn"}
	colConnSSHKey      = secretColumn{table: "connections", column: "ssh_key", key: "arn"}
	colConnWebhook     = secretColumn{table: "connections", column: "webhook_secret", key: "arn"}
	colFunctionSecret  = secretColumn{table: "functions", column: "secret", key: "name"}
	colWebhookSecret   = secretColumn{table: "webhooks", column: "secret_token", key: "name"}
	colSecretValue     = secretColumn{table: "secret_versions", column: "value", key: "arn || ' ' || version_id"}
	colParameterValue  = secretColumn{table: "parameter_versions", column: "value", key: "name || ' ' || version", where: "type = 'SecureString'"}
	colChatURL         = secretColumn{table: "chat_channels", column: "url", key: "name"}
	secretColumns      = []secretColumn{colAccessKeySecret, colConnSecret, colConnSSHKey, colConnWebhook,
		colFunctionSecret, colWebhookSecret, colSecretValue, colParameterValue, colChatURL}
)

func (c secretColumn) aad(key string) []byte {
	return []byte(c.table + "." + c.column + "\x00" + key)
}

// seal encrypts a secret for column col of the row whose key is key. An empty value stays
// empty: it holds no secret, and "" means "none" in every such column.
func (db *DB) seal(col secretColumn, key, plain string) (string, error) {
	if plain == "" {
		return "", nil
	}
	s, err := db.sealer.Seal([]byte(plain), col.aad(key))
	if err != nil {
		return "", fmt.Errorf("store: seal %s.%s: %w", col.table, col.column, err)
	}
	return s, nil
}

// open decrypts what seal stored.
func (db *DB) open(col secretColumn, key, stored string) (string, error) {
	if stored == "" {
		return "", nil
	}
	b, err := db.sealer.Open(stored, col.aad(key))
	if err != nil {
		return "", fmt.Errorf("store: %s.%s of %s: %w", col.table, col.column, key, err)
	}
	return string(b), nil
}

// openAll opens several columns of one row: each pair is the column's stored text and
// where its plaintext goes.
func (db *DB) openAll(key string, fields ...sealedField) error {
	for _, f := range fields {
		v, err := db.open(f.col, key, *f.v)
		if err != nil {
			return err
		}
		*f.v = v
	}
	return nil
}

type sealedField struct {
	col secretColumn
	v   *string
}

// reseal seals every secret that is not sealed under the sealer's current key: plaintext
// (rows written before migration 0014, which calls it) and rows sealed with an older key
// (after a rotation). Every other row is opened once, so a wrong or missing key fails
// here, at start-up, with an error naming the key, not later on some request.
func (db *DB) reseal(ctx context.Context, tx *sql.Tx) error {
	for _, col := range secretColumns {
		if err := db.resealColumn(ctx, tx, col); err != nil {
			return err
		}
	}
	return nil
}

func (db *DB) resealColumn(ctx context.Context, tx *sql.Tx, col secretColumn) error {
	var tables int
	if err := tx.QueryRowContext(ctx, db.d.rewrite(db.d.tableExists), col.table).Scan(&tables); err != nil {
		return err
	}
	if tables == 0 { // a later migration makes it (at 0014's reseal): nothing to seal yet
		return nil
	}
	where := col.column + " <> ''"
	if col.where != "" {
		where += " AND " + col.where
	}
	rows, err := tx.QueryContext(ctx, fmt.Sprintf(`SELECT rowid, %s, %s FROM %s WHERE %s`, col.key, col.column, col.table, where))
	if err != nil {
		return err
	}
	type change struct {
		rowid int64
		value string
	}
	var changes []change
	for rows.Next() {
		var (
			rowid      int64
			key, value string
		)
		if err := rows.Scan(&rowid, &key, &value); err != nil {
			return err
		}
		plain := value
		id, sealed := db.sealer.SealedWith(value)
		if sealed {
			if plain, err = db.open(col, key, value); err != nil {
				return err
			}
		}
		if sealed && id == db.sealer.KeyID() {
			continue
		}
		resealed, err := db.seal(col, key, plain)
		if err != nil {
			return err
		}
		changes = append(changes, change{rowid, resealed})
	}
	if err := rows.Close(); err != nil {
		return err
	}
	for _, c := range changes {
		q := fmt.Sprintf(`UPDATE %s SET %s = ? WHERE rowid = ?`, col.table, col.column)
		if _, err := tx.ExecContext(ctx, db.d.rewrite(q), c.value, c.rowid); err != nil {
			return err
		}
	}
	return nil
}
