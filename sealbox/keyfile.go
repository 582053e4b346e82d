package sealbox

import (
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/crypto/chacha20poly1305"
)

// Parse reads keys as a key file or SLUICE_ENCRYPTION_KEY holds them: one "<id>:<base64 of
// 32 bytes>" per line (or separated by commas), the current key first; blank lines and
// lines starting with # are skipped.
func Parse(text string) ([]Key, error) {
	var keys []Key
	var entries []string
	for _, line := range strings.Split(text, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(line), "#") {
			entries = append(entries, strings.Split(line, ",")...)
		}
	}
	for _, line := range entries {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		id, enc, ok := strings.Cut(line, ":")
		if !ok || !idPattern().MatchString(id) {
			return nil, fmt.Errorf("want <id>:<base64 key> per line, the id of letters, digits, - or _")
		}
		secret, err := base64.StdEncoding.DecodeString(enc)
		if err != nil || len(secret) != chacha20poly1305.KeySize {
			return nil, fmt.Errorf("key %s: want the base64 of %d bytes", id, chacha20poly1305.KeySize)
		}
		keys = append(keys, Key{ID: id, secret: secret})
	}
	if len(keys) == 0 {
		return nil, errors.New("no key in it")
	}
	return keys, nil
}

// Format is the text of a key file holding keys, the current one first.
func Format(keys ...Key) string {
	var sb strings.Builder
	sb.WriteString("# Sluice encryption keys, the current one first. Keep a copy apart from the data directory:\n")
	sb.WriteString("# without it the secrets in the database cannot be read.\n")
	for _, k := range keys {
		fmt.Fprintf(&sb, "%s:%s\n", k.ID, base64.StdEncoding.EncodeToString(k.secret))
	}
	return sb.String()
}

// ReadFile reads a key file, refusing one that others than its owner may read.
func ReadFile(path string) ([]Key, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("encryption key file %s is readable by others (mode %o): chmod 600 it", path, fi.Mode().Perm())
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	keys, err := Parse(string(b))
	if err != nil {
		return nil, fmt.Errorf("encryption key file %s: %w", path, err)
	}
	return keys, nil
}

// CreateFile writes a new key file at path holding one new key (mode 0600, its directory
// made 0700 when missing). It never replaces a file: fs.ErrExist when one is there.
func CreateFile(path string) (Key, error) {
	k := NewKey()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return k, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return k, err
	}
	_, err = f.WriteString(Format(k))
	if err = errors.Join(err, f.Sync(), f.Close()); err != nil {
		return k, errors.Join(err, os.Remove(path))
	}
	return k, nil
}

// IsMissing reports whether err says a key file does not exist.
func IsMissing(err error) bool { return errors.Is(err, fs.ErrNotExist) }
