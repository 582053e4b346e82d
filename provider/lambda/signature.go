package lambda

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
)

// The headers of an invocation besides Content-Type: application/json.
const (
	// SignatureHeader is "sha256=" and the hex HMAC-SHA256, keyed by the function's secret,
	// of the TimestampHeader value, a ".", and the body: a function checks it before
	// trusting the event, and refuses an old timestamp, so a captured event cannot be
	// replayed later.
	SignatureHeader = "X-Sluice-Signature"
	// TimestampHeader is when the invocation was sent, in Unix seconds; each attempt of a
	// delivery is signed afresh.
	TimestampHeader = "X-Sluice-Timestamp"
	// DeliveryHeader identifies one invocation; retries of it carry the same value.
	DeliveryHeader = "X-Sluice-Delivery"
)

// Sign is the SignatureHeader value of body sent at unix seconds under secret.
func Sign(secret string, unix int64, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(strconv.FormatInt(unix, 10) + "."))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}
