package service

import (
	"context"
	"encoding/json"
	"time"

	"sluice"
)

// PipelineVersion is one saved version of a pipeline, as its history lists it.
type PipelineVersion struct {
	Version int
	Author  string    // the principal that saved it ("" when it was not recorded)
	Saved   time.Time // when it was saved; zero when nothing recorded it
}

// MaxListedVersions bounds the versions one history page lists.
const MaxListedVersions = 200

// PipelineVersions lists a pipeline's versions, newest first (at most MaxListedVersions), to
// a caller who may read the pipeline (codepipeline:GetPipeline). Who saved each version is
// stored with it; when is not, so it comes from the audit trail's records of the saves (see
// savedTimes), and from the pipeline's own times for the first and the current version.
func (s *Service) PipelineVersions(ctx context.Context, c sluice.Caller, name string) ([]PipelineVersion, error) {
	if err := s.allow(ctx, c, actGetPipeline, s.pipelineARN(name)); err != nil {
		return nil, err
	}
	p, err := s.Store.GetPipeline(ctx, name, 0)
	if err != nil {
		return nil, err
	}
	cur := p.Declaration.Version
	saved := s.savedTimes(ctx, p)
	saved[1], saved[cur] = p.Created, p.Updated
	out := make([]PipelineVersion, 0, min(cur, MaxListedVersions))
	for v := cur; v >= 1 && len(out) < MaxListedVersions; v-- {
		author, err := s.Store.PipelineAuthor(ctx, name, v)
		if err != nil && !sluice.IsCode(err, sluice.ENotFound) {
			return nil, err
		}
		out = append(out, PipelineVersion{Version: v, Author: author, Saved: saved[v]})
	}
	return out, nil
}

// Bounds of savedTimes' reading of the audit trail.
const (
	savedTimesPage  = 50
	savedTimesPages = 10
)

// savedTimes finds when versions of p were saved in the audit trail: the successful
// CreatePipeline and UpdatePipeline records naming the pipeline since it was created (the
// API's and the console's), whose answer carries the version saved. It reads a bounded
// number of records, newest first, and leaves out what it cannot find: history it shows
// is only what the trail still holds. The caller may read the pipeline, whose update time
// is no secret, so the trail is read without asking cloudtrail:LookupEvents.
func (s *Service) savedTimes(ctx context.Context, p *sluice.Pipeline) map[int]time.Time {
	out := map[int]time.Time{}
	q := sluice.AuditQuery{Key: sluice.AuditResourceName, Value: p.Declaration.Name, Start: p.Created.Truncate(time.Second)}
	q.Limit = savedTimesPage
	for range savedTimesPages {
		evs, next, err := s.Store.LookupAuditEvents(ctx, q)
		if err != nil {
			return out // the history shows less, not nothing
		}
		for _, ev := range evs {
			if v := savedVersion(ev); v > 0 && out[v].IsZero() {
				out[v] = ev.EventTime
			}
		}
		if next == "" {
			break
		}
		q.Token = next
	}
	return out
}

// savedVersion is the version a successful save's record answered (0 for any other record).
func savedVersion(ev *sluice.AuditEvent) int {
	if ev.ErrorCode != "" || ev.EventSource != "codepipeline.amazonaws.com" ||
		(ev.EventName != "CreatePipeline" && ev.EventName != "UpdatePipeline") {
		return 0
	}
	var r struct {
		Pipeline struct {
			Version int `json:"version"`
		} `json:"pipeline"`
	}
	if json.Unmarshal(ev.ResponseElements, &r) != nil {
		return 0
	}
	return r.Pipeline.Version
}
