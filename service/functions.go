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
func (s *Service) PutFunction(ctx context.Context, c sluice.Caller, p FunctionParams) (*sluice.Function, error) {
	if err := s.allow(ctx, c, actPutFunction, s.functionARN(p.Name)); err != nil {
		return nil, err
	}
	now := s.Now()
	f := &sluice.Function{Name: p.Name, URL: p.URL, Secret: p.Secret, Created: now, LastModified: now}
	if err := s.Store.PutFunction(ctx, f); err != nil {
		return nil, err
	}
	return f, nil
}

// GetFunction returns a registered function (ENotFound/Function).
func (s *Service) GetFunction(ctx context.Context, c sluice.Caller, name string) (*sluice.Function, error) {
	if err := s.allow(ctx, c, actGetFunction, s.functionARN(name)); err != nil {
		return nil, err
	}
	return s.Store.GetFunction(ctx, name)
}

// ListFunctions returns one page of registered functions.
func (s *Service) ListFunctions(ctx context.Context, c sluice.Caller, page sluice.Page) ([]*sluice.Function, string, error) {
	if err := s.allow(ctx, c, actListFunctions, anyResource); err != nil {
		return nil, "", err
	}
	return s.Store.ListFunctions(ctx, page)
}

// DeleteFunction removes a registered function (ENotFound/Function).
func (s *Service) DeleteFunction(ctx context.Context, c sluice.Caller, name string) error {
	if err := s.allow(ctx, c, actDeleteFunction, s.functionARN(name)); err != nil {
		return err
	}
	return s.Store.DeleteFunction(ctx, name)
}
