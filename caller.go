package sluice

// Caller is who makes a call to the core: the principal its credentials name (an IAM-style
// ARN, or a worker's name), the access key it signed with, and where the call came from.
// Every surface (the API, git, the console, the CLI, `sluice run`) fills one, so that
// authorization and audit see the same caller whatever the surface.
type Caller struct {
	Principal   string
	AccessKeyID string // "" for calls made by the server itself (triggers, `sluice run`)
	SourceIP    string
	UserAgent   string
	server      bool // ServerCaller: set by no surface
}

// Tag is one tag of a resource, as a request lists it (a key may come twice; the last wins).
type Tag struct {
	Key   string
	Value string
}

// MaxTags is how many tags one resource can have.
const MaxTags = 50

// ServerPrincipal is the principal of ServerCaller.
const ServerPrincipal = "sluice:server"

// ServerCaller is the server acting on its own behalf: code in the server's process that
// calls the core for no one's request (a console page rendered at start-up, a maintenance
// task). Its mark is unexported, so no credential, header or name can make a Caller one:
// the API, git and the console build callers from credentials, and those are always asked
// about. What acts as the server without a caller at all (triggers, timers, the engine, the
// job runner, `sluice run`) calls the engine directly and is never authorized.
func ServerCaller() Caller { return Caller{Principal: ServerPrincipal, server: true} }

// IsServer reports whether c is ServerCaller.
func (c Caller) IsServer() bool { return c.server }
