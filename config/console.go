package config

import (
	"fmt"
	"time"
)

// MinConsoleSessionTTL is the shortest console session accepted.
const MinConsoleSessionTTL = time.Minute

// consoleFromEnv applies SLUICE_CONSOLE_SESSION.
func (s Server) consoleFromEnv(getenv func(string) string) (Server, error) {
	if v := getenv("SLUICE_CONSOLE_SESSION"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			return s, fmt.Errorf("SLUICE_CONSOLE_SESSION=%q: want a duration such as 12h", v)
		}
		s.ConsoleSessionTTL = d
	}
	return s, nil
}

func (s *Server) validateConsole() error {
	if s.ConsoleSessionTTL != 0 && s.ConsoleSessionTTL < MinConsoleSessionTTL {
		return fmt.Errorf("--console-session %s: want at least %s (0: 12h)", s.ConsoleSessionTTL, MinConsoleSessionTTL)
	}
	return nil
}
