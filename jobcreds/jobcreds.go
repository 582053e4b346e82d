// Package jobcreds derives the artifact credentials a job's worker receives (the model's
// artifactCredentials): an access key that names the job, with a secret and session token
// computed from a server key, the job id and the job's current nonce. Nothing is stored, any
// server replica sharing the key can check them, and they stop working when the job is
// re-offered to another worker (a new nonce) or closes.
package jobcreds

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
)

// keyPrefix starts every job access key id, so they never collide with API keys.
const keyPrefix = "SJOB"

// Credentials are what PollForJobs and GetJobDetails hand out for one job.
type Credentials struct {
	AccessKeyID     string `json:"accessKeyId"`
	SecretAccessKey string `json:"secretAccessKey"`
	SessionToken    string `json:"sessionToken"`
}

// Issuer derives job credentials from a secret key.
type Issuer struct{ key []byte }

// New returns an Issuer keyed by secret (the server's root secret or any shared secret).
func New(secret string) *Issuer {
	k := sha256.Sum256([]byte("sluice job credentials\x00" + secret))
	return &Issuer{key: k[:]}
}

// WithKey returns an Issuer keyed by key itself: the server derives it from its encryption
// key, so rotating the root access key leaves the credentials of running jobs valid.
func WithKey(key []byte) *Issuer { return &Issuer{key: append([]byte(nil), key...)} }

// For returns the credentials of jobID while its nonce is nonce.
func (i *Issuer) For(jobID, nonce string) Credentials {
	return Credentials{
		AccessKeyID:     keyPrefix + strings.ToUpper(hex.EncodeToString([]byte(jobID))),
		SecretAccessKey: i.mac("secret", jobID, nonce),
		SessionToken:    i.mac("token", jobID, nonce),
	}
}

func (i *Issuer) mac(purpose, jobID, nonce string) string {
	m := hmac.New(sha256.New, i.key)
	m.Write([]byte(purpose + "\x00" + jobID + "\x00" + nonce))
	return base64.RawStdEncoding.EncodeToString(m.Sum(nil))
}

// JobID returns the job an access key id names, and whether it is a job key at all.
func JobID(accessKeyID string) (string, bool) {
	rest, ok := strings.CutPrefix(accessKeyID, keyPrefix)
	if !ok {
		return "", false
	}
	id, err := hex.DecodeString(rest)
	if err != nil || len(id) == 0 {
		return "", false
	}
	return string(id), true
}
