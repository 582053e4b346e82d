package api

import (
	"context"

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
	return repositoryMetadata{AccountID: s.account(), RepositoryID: r.ID, RepositoryName: r.Name,
		RepositoryDescription: r.Description, DefaultBranch: r.DefaultBranch, LastModifiedDate: ts(r.Updated),
		CreationDate: ts(r.Created), CloneURLHTTP: s.CloneURL(r.Name), Arn: r.ARN}
}

type repoInput struct {
	RepositoryName        string `json:"repositoryName"`
	RepositoryDescription string `json:"repositoryDescription"`
	BranchName            string `json:"branchName"`
}

func repoCall(c *call) (*repoInput, error) {
	var in repoInput
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	return &in, nil
}

func (s *Server) createRepository(ctx context.Context, c *call) (any, error) {
	in, err := repoCall(c)
	if err != nil {
		return nil, err
	}
	r, err := s.Service.CreateRepository(ctx, c.caller, in.RepositoryName, in.RepositoryDescription)
	if err != nil {
		return nil, err
	}
	return map[string]any{"repositoryMetadata": s.repoMetadata(r)}, nil
}

func (s *Server) getRepository(ctx context.Context, c *call) (any, error) {
	in, err := repoCall(c)
	if err != nil {
		return nil, err
	}
	r, err := s.Service.GetRepository(ctx, c.caller, in.RepositoryName)
	if err != nil {
		return nil, err
	}
	return map[string]any{"repositoryMetadata": s.repoMetadata(r)}, nil
}

func (s *Server) listRepositories(ctx context.Context, c *call) (any, error) {
	repos, err := s.Service.ListRepositories(ctx, c.caller)
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
	in, err := repoCall(c)
	if err != nil {
		return nil, err
	}
	r, err := s.Service.DeleteRepository(ctx, c.caller, in.RepositoryName)
	switch {
	case err != nil:
		return nil, err
	case r == nil:
		return struct{}{}, nil // CodeCommit answers a delete of a missing repository with no id
	}
	return map[string]string{"repositoryId": r.ID}, nil
}

func (s *Server) getBranch(ctx context.Context, c *call) (any, error) {
	in, err := repoCall(c)
	if err != nil {
		return nil, err
	}
	sha, err := s.Service.BranchHead(ctx, c.caller, in.RepositoryName, in.BranchName)
	if err != nil {
		return nil, err
	}
	return map[string]any{"branch": map[string]string{"branchName": in.BranchName, "commitId": sha}}, nil
}
