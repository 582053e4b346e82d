package sigv4

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// amzDate is the layout of X-Amz-Date and of the timestamp in the string to sign.
const amzDate = "20060102T150405Z"

// signature computes the hex signature the client must have sent for this canonical request.
func signature(secret string, sc scope, signedAt time.Time, canonical string) string {
	return hex.EncodeToString(hmacSHA256(signingKey(secret, sc), stringToSign(sc, signedAt, canonical)))
}

func stringToSign(sc scope, signedAt time.Time, canonical string) string {
	return algorithm + "\n" + signedAt.UTC().Format(amzDate) + "\n" + sc.String() + "\n" + sha256Hex([]byte(canonical))
}

// signingKey derives the per-day, per-region, per-service key, so the secret itself never
// signs anything.
func signingKey(secret string, sc scope) []byte {
	key := hmacSHA256([]byte("AWS4"+secret), sc.date)
	key = hmacSHA256(key, sc.region)
	key = hmacSHA256(key, sc.service)
	return hmacSHA256(key, "aws4_request")
}

func hmacSHA256(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
