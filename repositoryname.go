package sluice

import (
	"regexp"
	"strings"
	"sync"
)

// repositoryNamePattern is CodeCommit's repositoryName pattern ([\w\.-]+) with its lengths.
var repositoryNamePattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[\w.-]{1,100}$`) })

// CheckRepositoryName returns EInvalid/RepositoryName (CodeCommit's
// InvalidRepositoryNameException) unless name may name a hosted repository: 1 to 100
// letters, digits, '_', '.' or '-', not ending in ".git". "." and ".." are refused too, so a
// name can never address a directory other than its own. Every repository operation checks
// it before it looks the repository up.
func CheckRepositoryName(name string) error {
	if !repositoryNamePattern().MatchString(name) || strings.HasSuffix(strings.ToLower(name), ".git") ||
		name == "." || name == ".." {
		return Errorf(EInvalid, "RepositoryName",
			"repositoryName %q is not valid: use 1 to 100 letters, digits, '_', '.' or '-', "+
				"and do not end it with .git", name)
	}
	return nil
}
