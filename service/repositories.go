package service

import (
	"context"
	"strings"

	"sluice"
)

// repos returns the repository host, or why there is none, then checks the repository's
// name is given (RepositoryNameRequired) and valid (InvalidRepositoryName), before any
// lookup: in that order, as CodeCommit answers every repository operation.
func (s *Service) repos(name string) (RepoHost, error) {
	if s.Repos == nil {
		return nil, sluice.Errorf(sluice.EInvalid, "", "This server does not host repositories.")
	}
	if name == "" {
		return nil, sluice.Errorf(sluice.EInvalid, "RepositoryNameRequired", "A repository name is required (repositoryName).")
	}
	if err := sluice.CheckRepositoryName(name); err != nil {
		return nil, err
	}
	return s.Repos, nil
}

// CreateRepository creates a hosted repository: its git content first, then its metadata;
// when the metadata cannot be stored the content is deleted again, so that no repository
// is left half made.
func (s *Service) CreateRepository(ctx context.Context, c sluice.Caller, name, description string) (*sluice.Repository, error) {
	host, err := s.repos(name)
	if err != nil {
		return nil, err
	}
	if err := s.allow(ctx, c, actCreateRepository, s.repositoryARN(name)); err != nil {
		return nil, err
	}
	if utf16Len(description) > 1000 {
		return nil, sluice.Errorf(sluice.EInvalid, "RepositoryDescription", "The repositoryDescription is longer than 1000 characters.")
	}
	now := s.Now()
	r := &sluice.Repository{ID: s.IDs.NewID(), Name: name, Description: description,
		ARN: s.Scope().ARN(sluice.RepositoryARN, name), Created: now, Updated: now}
	if _, err := s.Store.GetRepository(ctx, r.Name); err == nil {
		return nil, sluice.Errorf(sluice.EAlreadyExists, "Repository", "Repository named %s already exists.", r.Name)
	}
	if err := host.Create(ctx, r.Name); err != nil {
		return nil, err
	}
	if err := s.Store.CreateRepository(ctx, r); err != nil {
		_ = host.Delete(ctx, r.Name)
		return nil, err
	}
	return r, nil
}

// GetRepository returns a hosted repository's metadata (ENotFound/Repository).
func (s *Service) GetRepository(ctx context.Context, c sluice.Caller, name string) (*sluice.Repository, error) {
	if _, err := s.repos(name); err != nil {
		return nil, err
	}
	if err := s.allow(ctx, c, actGetRepository, s.repositoryARN(name)); err != nil {
		return nil, err
	}
	return s.Store.GetRepository(ctx, name)
}

// ListRepositories returns every hosted repository.
func (s *Service) ListRepositories(ctx context.Context, c sluice.Caller) ([]*sluice.Repository, error) {
	if err := s.allow(ctx, c, actListRepositories, anyResource); err != nil {
		return nil, err
	}
	return s.Store.ListRepositories(ctx)
}

// DeleteRepository deletes a repository's metadata, then its content, and returns what it
// deleted (nil when there was no such repository: deleting one is no error).
func (s *Service) DeleteRepository(ctx context.Context, c sluice.Caller, name string) (*sluice.Repository, error) {
	host, err := s.repos(name)
	if err != nil {
		return nil, err
	}
	if err := s.allow(ctx, c, actDeleteRepository, s.repositoryARN(name)); err != nil {
		return nil, err
	}
	r, err := s.Store.GetRepository(ctx, name)
	if sluice.IsCode(err, sluice.ENotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if err := s.Store.DeleteRepository(ctx, r.Name); err != nil {
		return nil, err
	}
	if err := host.Delete(ctx, r.Name); err != nil {
		return nil, err
	}
	return r, nil
}

// BranchHead returns the commit a branch of a hosted repository points at
// (ENotFound/Repository, then ENotFound/Branch).
func (s *Service) BranchHead(ctx context.Context, c sluice.Caller, repo, branch string) (string, error) {
	host, err := s.repos(repo)
	if err != nil {
		return "", err
	}
	if err := checkBranchName(branch); err != nil {
		return "", err
	}
	if err := s.allow(ctx, c, actGetBranch, s.repositoryARN(repo)); err != nil {
		return "", err
	}
	if _, err := s.Store.GetRepository(ctx, repo); err != nil {
		return "", err
	}
	sha, err := host.ResolveRef(ctx, repo, "refs/heads/"+branch)
	if sluice.IsCode(err, sluice.ENotFound) {
		return "", sluice.Errorf(sluice.ENotFound, "Branch", "Branch %s does not exist in repository %s.", branch, repo)
	}
	return sha, err
}

// GitAccess says whether the caller may fetch from (codecommit:GitPull) or, when push is
// set, push to (codecommit:GitPush) a hosted repository. Git over HTTP asks it before it
// looks the repository up, so a caller without access learns nothing of its existence.
func (s *Service) GitAccess(ctx context.Context, c sluice.Caller, repo string, push bool) error {
	action := actGitPull
	if push {
		action = actGitPush
	}
	return s.allow(ctx, c, action, s.repositoryARN(repo))
}

// checkBranchName refuses a branchName CodeCommit refuses: empty (BranchNameRequired), longer
// than 256 characters, or not a valid git branch name (InvalidBranchName). Only a valid name
// is handed to git.
func checkBranchName(name string) error {
	if name == "" {
		return sluice.Errorf(sluice.EInvalid, "BranchNameRequired", "A branch name is required (branchName).")
	}
	if utf16Len(name) > 256 || !validRefName(name) {
		return sluice.Errorf(sluice.EInvalid, "BranchName", "The branchName %q is not a valid branch name.", name)
	}
	return nil
}

// validRefName applies git's rules for the name of a ref under refs/heads/ (git
// check-ref-format): no control characters, space, ~ ^ : ? * [ or backslash, "..", "@{" or
// "//"; no component starting with "." or ending with ".lock"; not "@"; no "/" or "." at the
// end.
func validRefName(name string) bool {
	if name == "@" || strings.ContainsAny(name, " ~^:?*[\\") || strings.Contains(name, "..") ||
		strings.Contains(name, "@{") || strings.HasSuffix(name, ".") {
		return false
	}
	for _, r := range name {
		if r < 0x20 || r == 0x7f {
			return false
		}
	}
	for _, part := range strings.Split(name, "/") {
		if part == "" || strings.HasPrefix(part, ".") || strings.HasSuffix(part, ".lock") {
			return false
		}
	}
	return true
}
