package config

import (
	"fmt"
	"path/filepath"
	"strings"
)

// KeyFileSuffix names the default encryption key file: the data directory's path plus it.
const KeyFileSuffix = ".encryption-key"

func (s *Server) encryptionFromEnv(getenv func(string) string) {
	if v := getenv("SLUICE_ENCRYPTION_KEY_FILE"); v != "" {
		s.EncryptionKeyFile = v
	}
	s.EncryptionKey = getenv("SLUICE_ENCRYPTION_KEY")
}

// validateEncryption fills the key file's default, once DataDir is absolute, and refuses a
// key file inside the data directory: a copy of the directory would carry its own key.
func (s *Server) validateEncryption() error {
	if s.EncryptionKeyFile == "" {
		s.EncryptionKeyFile = filepath.Clean(s.DataDir) + KeyFileSuffix
	}
	abs, err := filepath.Abs(s.EncryptionKeyFile)
	if err != nil {
		return fmt.Errorf("--encryption-key-file: %w", err)
	}
	s.EncryptionKeyFile = abs
	if rel, err := filepath.Rel(s.DataDir, abs); err == nil && !strings.HasPrefix(rel, "..") {
		return fmt.Errorf("--encryption-key-file %s is inside the data directory %s: keep the key apart from the database it opens", abs, s.DataDir)
	}
	return nil
}
