package service

import (
	"context"
	"time"

	"sluice"
)

// PipelineVersion is one saved version of a pipeline, as its history lists it.
type PipelineVersion struct {
	Version int
	Author  string    // the principal that saved it ("" when it was not recorded)
	Saved   time.Time // when it was saved; zero when the store does not know
}

// MaxListedVersions bounds the versions one history page lists.
const MaxListedVersions = 200

// PipelineVersions lists a pipeline's versions, newest first (at most MaxListedVersions), to
// a caller who may read the pipeline (codepipeline:GetPipeline). The store keeps the time of
// the first and of the current version only; the others' Saved is zero.
func (s *Service) PipelineVersions(ctx context.Context, c sluice.Caller, name string) ([]PipelineVersion, error) {
	if err := s.allow(ctx, c, actGetPipeline, s.pipelineARN(name)); err != nil {
		return nil, err
	}
	p, err := s.Store.GetPipeline(ctx, name, 0)
	if err != nil {
		return nil, err
	}
	cur := p.Declaration.Version
	out := make([]PipelineVersion, 0, min(cur, MaxListedVersions))
	for v := cur; v >= 1 && len(out) < MaxListedVersions; v-- {
		author, err := s.Store.PipelineAuthor(ctx, name, v)
		if err != nil && !sluice.IsCode(err, sluice.ENotFound) {
			return nil, err
		}
		pv := PipelineVersion{Version: v, Author: author}
		switch v {
		case cur:
			pv.Saved = p.Updated
		case 1:
			pv.Saved = p.Created
		}
		out = append(out, pv)
	}
	return out, nil
}
