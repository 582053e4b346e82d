// Package apitest holds what the tests of the API surfaces (the JSON, query and rest-json
// adapters) share. It imports nothing of the adapters, so each one's tests may use it.
package apitest

import (
	"context"
	"sync"

	"sluice"
)

// AccessRecorder is an Authorizer that records every access it is asked about, and allows
// them all or, with Deny set, refuses them all with AWS's message. Safe for concurrent use;
// set Deny while no request is being served.
type AccessRecorder struct {
	Deny  bool
	mu    sync.Mutex
	asked []sluice.Access
}

var _ sluice.Authorizer = (*AccessRecorder)(nil)

// Authorize records a and allows it, or refuses it with Deny.
func (r *AccessRecorder) Authorize(_ context.Context, c sluice.Caller, a sluice.Access) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.asked = append(r.asked, a)
	if r.Deny {
		return sluice.Denied(c, a, false)
	}
	return nil
}

// Take returns what was asked since the last Take.
func (r *AccessRecorder) Take() []sluice.Access {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.asked
	r.asked = nil
	return out
}
