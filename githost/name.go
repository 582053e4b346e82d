package githost

import (
	"regexp"
	"strings"

	"sluice"
)

// namePattern is CodeCommit's repositoryName pattern with its length limits.
var namePattern = regexp.MustCompile(`^[\w.-]{1,100}$`)

// ValidateName reports whether name may name a repository, as CodeCommit rules it: 1 to 100
// letters, digits, '_', '.' or '-', not ending in ".git". "." and ".." are refused too, so a
// name can never address a directory other than its own.
func ValidateName(name string) error {
	if !namePattern.MatchString(name) || strings.HasSuffix(strings.ToLower(name), ".git") ||
		name == "." || name == ".." {
		return sluice.Errorf(sluice.EInvalid, "RepositoryName",
			"repositoryName %q is not valid: use 1 to 100 letters, digits, '_', '.' or '-', "+
				"and do not end it with .git", name)
	}
	return nil
}
