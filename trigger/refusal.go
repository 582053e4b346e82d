package trigger

// Refusal says why a webhook request was refused before its pipelines were considered, or
// why a V1 webhook's start failed; the HTTP side (package hookserve) answers each with its
// status. The zero Refusal is none: the request was taken.
type Refusal string

const (
	RefusedUnknown   Refusal = "UNKNOWN"   // no connection or webhook has the URL
	RefusedForbidden Refusal = "FORBIDDEN" // authentication failed
	RefusedMalformed Refusal = "MALFORMED" // the body cannot be read or understood
	RefusedTooLarge  Refusal = "TOO_LARGE" // the body is over MaxWebhookBody
	RefusedConflict  Refusal = "CONFLICT"  // the pipeline could not start as asked
	RefusedInternal  Refusal = "INTERNAL"  // the store failed; the server log says more
)

// MaxWebhookBody is the largest delivery read: GitHub's cap on payloads (25 MB).
const MaxWebhookBody = 25 << 20
