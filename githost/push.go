package githost

import (
	"context"
	"slices"
	"strings"

	"sluice"
)

// refs snapshots every ref of a repository: name -> object id.
func (h *Host) refs(ctx context.Context, repo string) (map[string]string, error) {
	out, err := h.run(ctx, h.dir(repo), "for-each-ref", "--format=%(objectname) %(refname)")
	if err != nil {
		return nil, err
	}
	refs := map[string]string{}
	for line := range strings.Lines(string(out)) {
		if id, name, ok := strings.Cut(strings.TrimSuffix(line, "\n"), " "); ok {
			refs[name] = id
		}
	}
	return refs, nil
}

// diffRefs lists the refs created, moved or deleted between two snapshots, sorted by name.
func diffRefs(before, after map[string]string) []sluice.RefUpdate {
	var updates []sluice.RefUpdate
	for ref, newID := range after {
		if oldID := before[ref]; oldID != newID {
			updates = append(updates, sluice.RefUpdate{Ref: ref, Old: orZero(oldID, newID), New: newID})
		}
	}
	for ref, oldID := range before {
		if _, ok := after[ref]; !ok {
			updates = append(updates, sluice.RefUpdate{Ref: ref, Old: oldID, New: zeroID(oldID)})
		}
	}
	slices.SortFunc(updates, func(a, b sluice.RefUpdate) int { return strings.Compare(a.Ref, b.Ref) })
	return updates
}

func orZero(id, like string) string {
	if id == "" {
		return zeroID(like)
	}
	return id
}

// zeroID is git's null object id, as long as like (40 for SHA-1, 64 for SHA-256 repositories).
func zeroID(like string) string { return strings.Repeat("0", len(like)) }

// Branches returns the head of every branch of a repository, by branch name
// (ENotFound/Repository when it does not exist).
func (h *Host) Branches(ctx context.Context, repo string) (map[string]string, error) {
	if _, err := h.repoDir(repo); err != nil {
		return nil, err
	}
	refs, err := h.refs(ctx, repo)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for ref, id := range refs {
		if branch, ok := strings.CutPrefix(ref, "refs/heads/"); ok {
			out[branch] = id
		}
	}
	return out, nil
}
