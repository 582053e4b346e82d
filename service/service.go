// Package service is the core: every use case of every resource, one file per aggregate.
// Each method takes the caller and returns root types and *sluice.Error values, so that the
// API, the CLI, `sluice run` and a console share one copy of every rule (ARN minting,
// host matching, compensating deletes, tag checks). Pipelines and executions delegate to
// the engine; the rest reads and writes the store directly.
//
// Member constraints of a wire shape (lengths, patterns, enums) are the adapter's: the
// service checks what every surface needs, in the order the API has always answered.
package service

import (
	"context"
	"time"

	"sluice"
	"sluice/engine"
	"sluice/eventbus"
	"sluice/jobqueue"
	"sluice/netguard"
)

// RepoHost hosts the git content of repositories (the store keeps their metadata).
type RepoHost interface {
	Create(ctx context.Context, name string) error
	Delete(ctx context.Context, name string) error
	ResolveRef(ctx context.Context, repo, ref string) (string, error)
}

// Service runs the use cases. Engine and Store must be set; Repos (hosted repositories)
// and Queue (jobs) may be nil, and their operations then answer that this server does not
// serve them. Its methods are safe for concurrent use.
type Service struct {
	Engine *engine.Engine
	Store  sluice.Store
	// IDs mints the ids of connections, hosts, repositories and webhook tokens.
	IDs   sluice.IDs
	Repos RepoHost
	Queue *jobqueue.Queue
	// ActionTypes lists every action type, built-in and custom (nil: the engine's list).
	ActionTypes func(ctx context.Context) ([]sluice.ActionType, error)
	// SecretSuffix makes the 6 characters that end a new secret's ARN (nil: random ones);
	// tests pin it.
	SecretSuffix func() string
	// Guard checks the destinations users name (SNS subscription endpoints): its zero value
	// refuses loopback, link-local and private ones (--allow-local-destinations allows them).
	Guard netguard.Guard
	// Authz decides every call's access: each method a surface calls asks it first (see
	// allow and access.go), after the wire's member checks and before any lookup, so that a
	// caller without access learns nothing, not even whether a resource exists. Nil allows
	// every call: only for embedding the core where one principal owns everything (tests).
	Authz sluice.Authorizer
	// RootKeyRotated, when set, is told of a new root key after the commit that retired the
	// old ones (the node rewrites the key file it keeps for `sluice credentials`).
	RootKeyRotated func(sluice.AccessKey)
	// EventScope renders the outbox's events (the event stream and the routes); the node
	// sets its bucket and salt.
	EventScope eventbus.Scope
	// ConsoleURL is the console's base URL, which notification rules' chat messages link to
	// ("": no link).
	ConsoleURL string

	workers  workerBook   // the remote workers that polled this server (console_house.go)
	patterns patternCache // compiled event patterns of rules, by text (eventroute.go)
}

// Now is the time by the engine's clock.
func (s *Service) Now() time.Time { return s.Engine.Clock.Now() }

// Account is the AWS account id the server answers for ("" without an engine).
func (s *Service) Account() string {
	if s == nil || s.Engine == nil {
		return ""
	}
	return s.Engine.Account
}

// Region is the region the server answers for.
func (s *Service) Region() string { return s.Engine.Region }

// Scope is where the server mints ARNs.
func (s *Service) Scope() sluice.ARNScope { return s.Engine.Scope() }

// Lookup finds an action type, built-in or active custom (false when there is none).
func (s *Service) Lookup(id sluice.ActionTypeID) (*sluice.ActionType, bool) {
	if s.Engine.Lookup == nil {
		return nil, false
	}
	return s.Engine.Lookup(id)
}
