package sluice

// Caller is who makes a call to the core: the principal its credentials name (an IAM-style
// ARN, or a worker's name) and the address the call came from. Every surface (the API, the
// CLI, `sluice run`) fills one, so that authorization and audit see the same caller whatever
// the surface.
type Caller struct {
	Principal string
	SourceIP  string
}

// Tag is one tag of a resource, as a request lists it (a key may come twice; the last wins).
type Tag struct {
	Key   string
	Value string
}

// MaxTags is how many tags one resource can have.
const MaxTags = 50
