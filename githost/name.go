package githost

import "sluice"

// ValidateName reports whether name may name a repository, as CodeCommit rules it
// (sluice.CheckRepositoryName).
func ValidateName(name string) error { return sluice.CheckRepositoryName(name) }
