package config

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
)

var envName = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`) })

// ActionEnv resolves --action-env entries (server and worker): NAME=VALUE is kept, NAME
// takes this process's value of NAME, which must be set.
func ActionEnv(entries []string, lookup func(string) (string, bool)) ([]string, error) {
	out := make([]string, 0, len(entries))
	for _, e := range entries {
		name, value, literal := strings.Cut(strings.TrimSpace(e), "=")
		if !envName().MatchString(name) {
			return nil, fmt.Errorf("--action-env %q: want NAME or NAME=VALUE, NAME a variable name", e)
		}
		if !literal {
			v, ok := lookup(name)
			if !ok {
				return nil, fmt.Errorf("--action-env %s: %s is not set in this process's environment", name, name)
			}
			value = v
		}
		out = append(out, name+"="+value)
	}
	return out, nil
}

// CheckWorkDir makes --work-dir absolute and refuses one inside the data directory: the
// sandbox hides the data directory from actions, and a workspace there would expose it.
// "" stays "": the server makes a new directory under os.TempDir().
func CheckWorkDir(work, dataDir string) (string, error) {
	if work == "" {
		return "", nil
	}
	abs, err := filepath.Abs(work)
	if err != nil {
		return "", fmt.Errorf("--work-dir: %w", err)
	}
	if rel, err := filepath.Rel(dataDir, abs); err == nil && inside(rel) {
		return "", fmt.Errorf("--work-dir %s is inside the data directory %s: put workspaces elsewhere (actions must not reach the data directory)", abs, dataDir)
	}
	if rel, err := filepath.Rel(abs, dataDir); err == nil && inside(rel) {
		return "", fmt.Errorf("--work-dir %s holds the data directory %s: put workspaces elsewhere", abs, dataDir)
	}
	return abs, nil
}

// inside reports whether a relative path from filepath.Rel stays below its base.
func inside(rel string) bool {
	return rel == "." || rel != ".." && !strings.HasPrefix(rel, "../")
}
