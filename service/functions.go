package service

import (
	"context"

	"sluice"
)

// FunctionParams registers an HTTP function.
type FunctionParams struct {
	Name   string
	URL    string
	Secret string
}

// PutFunction registers a function, or replaces the one of the same name (URL and secret).
func (s *Service) PutFunction(ctx context.Context, _ sluice.Caller, p FunctionParams) (*sluice.Function, error) {
	now := s.Now()
	f := &sluice.Function{Name: p.Name, URL: p.URL, Secret: p.Secret, Created: now, LastModified: now}
	if err := s.Store.PutFunction(ctx, f); err != nil {
		return nil, err
	}
	return f, nil
}

// GetFunction returns a registered function (ENotFound/Function).
func (s *Service) GetFunction(ctx context.Context, _ sluice.Caller, name string) (*sluice.Function, error) {
	return s.Store.GetFunction(ctx, name)
}

// ListFunctions returns one page of registered functions.
func (s *Service) ListFunctions(ctx context.Context, _ sluice.Caller, page sluice.Page) ([]*sluice.Function, string, error) {
	return s.Store.ListFunctions(ctx, page)
}

// DeleteFunction removes a registered function (ENotFound/Function).
func (s *Service) DeleteFunction(ctx context.Context, _ sluice.Caller, name string) error {
	return s.Store.DeleteFunction(ctx, name)
}
