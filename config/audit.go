package config

import (
	"fmt"
	"path/filepath"
	"time"
)

// DefaultAuditRetention is how long audit events are kept by default: CloudTrail's event
// history keeps 90 days.
const DefaultAuditRetention = 90 * 24 * time.Hour

// MinAuditRetention is the shortest retention accepted (0 keeps every event).
const MinAuditRetention = time.Hour

// auditFromEnv applies SLUICE_AUDIT_RETENTION and SLUICE_AUDIT_EXPORT.
func (s Server) auditFromEnv(getenv func(string) string) (Server, error) {
	if v := getenv("SLUICE_AUDIT_RETENTION"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			return s, fmt.Errorf("SLUICE_AUDIT_RETENTION=%q: want a duration such as 2160h (90 days)", v)
		}
		s.AuditRetention = d
	}
	if v := getenv("SLUICE_AUDIT_EXPORT"); v != "" {
		s.AuditExport = v
	}
	return s, nil
}

func (s *Server) validateAudit() error {
	if s.AuditRetention != 0 && s.AuditRetention < MinAuditRetention {
		return fmt.Errorf("--audit-retention %s: want 0 (keep every event) or at least %s", s.AuditRetention, MinAuditRetention)
	}
	if s.AuditExport != "" {
		abs, err := filepath.Abs(s.AuditExport)
		if err != nil {
			return fmt.Errorf("--audit-export %q: %w", s.AuditExport, err)
		}
		s.AuditExport = abs
	}
	return nil
}
