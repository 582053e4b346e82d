package api

import (
	"context"
	"strings"

	"sluice"
)

type repositoryMetadata struct {
	AccountID             string `json:"accountId"`
	RepositoryID          string `json:"repositoryId"`
	RepositoryName        string `json:"repositoryName"`
	RepositoryDescription string `json:"repositoryDescription,omitempty"`
	DefaultBranch         string `json:"defaultBranch,omitempty"`
	LastModifiedDate      *epoch `json:"lastModifiedDate,omitempty"`
	CreationDate          *epoch `json:"creationDate,omitempty"`
	CloneURLHTTP          string `json:"cloneUrlHttp"`
	Arn                   string `json:"Arn"`
}

func (s *Server) repoMetadata(r *sluice.Repository) repositoryMetadata {
	return repositoryMetadata{AccountID: s.Engine.Account, RepositoryID: r.ID, RepositoryName: r.Name,
		RepositoryDescription: r.Description, DefaultBranch: r.DefaultBranch, LastModifiedDate: ts(r.Updated),
		CreationDate: ts(r.Created), CloneURLHTTP: s.CloneURL(r.Name), Arn: r.ARN}
}

type repoInput struct {
	RepositoryName        string `json:"repositoryName"`
	RepositoryDescription string `json:"repositoryDescription"`
	BranchName            string `json:"branchName"`
}

func (s *Server) repoCall(c *call) (*repoInput, error) {
	var in repoInput
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	if s.Repos == nil {
		return nil, sluice.Errorf(sluice.EInvalid, "", "This server does not host repositories.")
	}
	if in.RepositoryName == "" {
		return nil, sluice.Errorf(sluice.EInvalid, "RepositoryNameRequired", "A repository name is required (repositoryName).")
	}
	return &in, nil
}

func (s *Server) createRepository(ctx context.Context, c *call) (any, error) {
	in, err := s.repoCall(c)
	if err != nil {
		return nil, err
	}
	if utf16Len(in.RepositoryDescription) > 1000 {
		return nil, sluice.Errorf(sluice.EInvalid, "RepositoryDescription", "The repositoryDescription is longer than 1000 characters.")
	}
	now := s.Engine.Clock.Now()
	r := &sluice.Repository{ID: s.IDs.NewID(), Name: in.RepositoryName, Description: in.RepositoryDescription,
		ARN: s.Engine.Scope().ARN(sluice.RepositoryARN, in.RepositoryName), Created: now, Updated: now}
	if _, err := s.Store.GetRepository(ctx, r.Name); err == nil {
		return nil, sluice.Errorf(sluice.EAlreadyExists, "Repository", "Repository named %s already exists.", r.Name)
	}
	if err := s.Repos.Create(ctx, r.Name); err != nil {
		return nil, err
	}
	if err := s.Store.CreateRepository(ctx, r); err != nil {
		_ = s.Repos.Delete(ctx, r.Name)
		return nil, err
	}
	return map[string]any{"repositoryMetadata": s.repoMetadata(r)}, nil
}

func (s *Server) getRepository(ctx context.Context, c *call) (any, error) {
	in, err := s.repoCall(c)
	if err != nil {
		return nil, err
	}
	r, err := s.Store.GetRepository(ctx, in.RepositoryName)
	if err != nil {
		return nil, err
	}
	return map[string]any{"repositoryMetadata": s.repoMetadata(r)}, nil
}

func (s *Server) listRepositories(ctx context.Context, c *call) (any, error) {
	repos, err := s.Store.ListRepositories(ctx)
	if err != nil {
		return nil, err
	}
	type item struct {
		RepositoryName string `json:"repositoryName"`
		RepositoryID   string `json:"repositoryId"`
	}
	out := struct {
		Repositories []item `json:"repositories"`
	}{Repositories: []item{}}
	for _, r := range repos {
		out.Repositories = append(out.Repositories, item{r.Name, r.ID})
	}
	return out, nil
}

func (s *Server) deleteRepository(ctx context.Context, c *call) (any, error) {
	in, err := s.repoCall(c)
	if err != nil {
		return nil, err
	}
	r, err := s.Store.GetRepository(ctx, in.RepositoryName)
	if sluice.IsCode(err, sluice.ENotFound) {
		return struct{}{}, nil // CodeCommit answers a delete of a missing repository with no id
	}
	if err != nil {
		return nil, err
	}
	if err := s.Store.DeleteRepository(ctx, r.Name); err != nil {
		return nil, err
	}
	if err := s.Repos.Delete(ctx, r.Name); err != nil {
		return nil, err
	}
	return map[string]string{"repositoryId": r.ID}, nil
}

func (s *Server) getBranch(ctx context.Context, c *call) (any, error) {
	in, err := s.repoCall(c)
	if err != nil {
		return nil, err
	}
	if err := checkBranchName(in.BranchName); err != nil {
		return nil, err
	}
	if _, err := s.Store.GetRepository(ctx, in.RepositoryName); err != nil {
		return nil, err
	}
	sha, err := s.Repos.ResolveRef(ctx, in.RepositoryName, "refs/heads/"+in.BranchName)
	if err != nil {
		if sluice.IsCode(err, sluice.ENotFound) {
			return nil, sluice.Errorf(sluice.ENotFound, "Branch", "Branch %s does not exist in repository %s.", in.BranchName, in.RepositoryName)
		}
		return nil, err
	}
	return map[string]any{"branch": map[string]string{"branchName": in.BranchName, "commitId": sha}}, nil
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
