package node

import (
	"errors"
	"fmt"
	"io"
	"os"

	"sluice/config"
	"sluice/sealbox"
)

// encryptionKey returns the Box that seals the database's secrets: the keys in
// SLUICE_ENCRYPTION_KEY, else those in the key file, else a new key written to the key file
// (made reports that, so a database that turns out to need another key can undo it).
func encryptionKey(cfg config.Server, out io.Writer) (box *sealbox.Box, made bool, err error) {
	if cfg.EncryptionKey != "" {
		keys, err := sealbox.Parse(cfg.EncryptionKey)
		if err != nil {
			return nil, false, fmt.Errorf("SLUICE_ENCRYPTION_KEY: %w", err)
		}
		box, err = sealbox.New(keys...)
		return box, false, err
	}
	keys, err := sealbox.ReadFile(cfg.EncryptionKeyFile)
	if sealbox.IsMissing(err) {
		k, err := sealbox.CreateFile(cfg.EncryptionKeyFile)
		if err != nil {
			return nil, false, fmt.Errorf("make the encryption key file: %w", err)
		}
		fmt.Fprintf(out, "Generated the encryption key of the secrets in the database: %s\n"+
			"  WARNING: back it up, apart from the data directory. Without it the stored secrets cannot be read.\n", cfg.EncryptionKeyFile)
		box, err = sealbox.New(k)
		return box, true, err
	}
	if err != nil {
		return nil, false, err
	}
	box, err = sealbox.New(keys...)
	return box, false, err
}

// keyMismatch explains a database sealed with a key the server was not given, and removes a
// key file made just now, so the next start does not mistake it for the right one.
func keyMismatch(cfg config.Server, made bool, err error) error {
	var unknown *sealbox.UnknownKeyError
	if !errors.As(err, &unknown) {
		return err
	}
	where := "the key file " + cfg.EncryptionKeyFile
	if cfg.EncryptionKey != "" {
		where = "SLUICE_ENCRYPTION_KEY"
	}
	if made {
		_ = os.Remove(cfg.EncryptionKeyFile)
		where = "no key file (none was at " + cfg.EncryptionKeyFile + ")"
	}
	return fmt.Errorf("the secrets in the database are encrypted with key %s, and %s holds no such key: "+
		"start with --encryption-key-file naming the file that holds it, or SLUICE_ENCRYPTION_KEY", unknown.ID, where)
}
