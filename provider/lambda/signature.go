package lambda

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
)

// The headers of an invocation besides Content-Type: application/json.
const (
	// SignatureHeader is "sha256=" and the hex HMAC-SHA256 of the body keyed by the
	// function's secret (GitHub's webhook scheme): a function checks it before trusting the
	// event.
	SignatureHeader = "X-Sluice-Signature"
	// DeliveryHeader identifies one invocation; retries of it carry the same value.
	DeliveryHeader = "X-Sluice-Delivery"
)

// Sign is the SignatureHeader value of body under secret.
func Sign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}
