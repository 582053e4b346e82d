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
}

// Tag is one tag of a resource, as a request lists it (a key may come twice; the last wins).
type Tag struct {
	Key   string
	Value string
}

// MaxTags is how many tags one resource can have.
const MaxTags = 50
