// Package sigv4 verifies AWS Signature Version 4 on incoming requests: the server side of
// what the AWS CLI and SDKs do when they sign a call with an access key. Only header-based
// signing (the Authorization header) is accepted; presigned URLs are not.
package sigv4

import (
	"context"
	"crypto/hmac"
	"errors"
	"fmt"
	"net/http"
	"time"

	"sluice"
	"sluice/preauth"
)

// DefaultMaxSkew is how far a request's signing time may lie from the server's clock, as on AWS.
const DefaultMaxSkew = 15 * time.Minute

// ErrUnknownKey is what Lookup returns (or wraps) for an access key id it does not know. An
// *sluice.Error with code ENotFound means the same, so a sluice.KeyStore fits directly.
var ErrUnknownKey = errors.New("sigv4: unknown access key")

// Verifier checks request signatures. Its zero Clock and MaxSkew mean time.Now and
// DefaultMaxSkew; Lookup is required. A Verifier is safe for concurrent use.
type Verifier struct {
	// Lookup returns the secret of an access key and the principal its calls act as. Any
	// error other than an unknown key is returned from Verify unchanged.
	Lookup  func(ctx context.Context, accessKeyID string) (secret, principal string, err error)
	Clock   func() time.Time
	MaxSkew time.Duration
	// Gate limits ReadVerified's unauthenticated requests (nil: no limits), and SpoolDir is
	// where it spools their bodies ("": os.TempDir()).
	Gate     *preauth.Gate
	SpoolDir string
}

// Identity is who signed a verified request, and for which region and service. Any region and
// service are accepted, since one endpoint serves codepipeline, codecommit and codebuild.
type Identity struct {
	AccessKeyID string
	Principal   string
	Region      string
	Service     string
	SignedAt    time.Time
}

// Verify checks the signature of r, whose body the caller has already read into body, and
// returns the principal that signed it.
func (v *Verifier) Verify(r *http.Request, body []byte) (principal string, err error) {
	id, err := v.Authenticate(r, body)
	if err != nil {
		return "", err
	}
	return id.Principal, nil
}

// Authenticate is Verify returning the whole Identity. r must carry the URL and Host the
// client signed: mount the verifying handler before any http.StripPrefix. Failures of the
// request are an *AuthError; a failing Lookup is returned as is.
func (v *Verifier) Authenticate(r *http.Request, body []byte) (*Identity, error) {
	return v.authenticate(r, func(*scope) (string, error) { return payloadHash(r.Header, body) })
}

// UnsignedPayload is the X-Amz-Content-Sha256 value of a request whose body is not signed.
const UnsignedPayload = "UNSIGNED-PAYLOAD"

// AuthenticateStream checks the signature of an S3-style request without reading its body:
// the body's hash is what the client claimed in X-Amz-Content-Sha256 (required), either a
// hex SHA-256, which the caller must check against the body as it reads it (see
// CheckedBody), or UnsignedPayload. S3 paths are signed as they travel, not encoded twice.
func (v *Verifier) AuthenticateStream(r *http.Request) (*Identity, string, error) {
	var claimed string
	id, err := v.authenticate(r, func(sc *scope) (string, error) {
		claimed = r.Header.Get("X-Amz-Content-Sha256")
		switch {
		case claimed == UnsignedPayload || isHexSHA256(claimed):
			return claimed, nil
		case claimed == "":
			return "", errInvalidSignature("A streaming request must carry X-Amz-Content-Sha256.")
		default:
			return "", errInvalidSignature(fmt.Sprintf("X-Amz-Content-Sha256 %q is not supported here: "+
				"send the payload's SHA-256 or UNSIGNED-PAYLOAD (turn off aws-chunked uploads).", claimed))
		}
	})
	return id, claimed, err
}

func (v *Verifier) authenticate(r *http.Request, payload func(*scope) (string, error)) (*Identity, error) {
	auth, signedAt, err := v.headers(r)
	if err != nil {
		return nil, err
	}
	hash, err := payload(&auth.scope)
	if err != nil {
		return nil, err
	}
	k, err := v.key(r.Context(), auth, signedAt)
	if err != nil {
		return nil, err
	}
	return k.check(r, hash)
}

// headers parses the Authorization header and checks the signing time.
func (v *Verifier) headers(r *http.Request) (*authorization, time.Time, error) {
	auth, err := parseAuthorization(r.Header.Get("Authorization"))
	if err != nil {
		return nil, time.Time{}, err
	}
	signedAt, err := v.checkTime(r.Header, auth.scope)
	return auth, signedAt, err
}

// signer is a request's signature with the key that should have made it.
type signer struct {
	auth      *authorization
	signedAt  time.Time
	secret    string
	principal string
}

func (v *Verifier) key(ctx context.Context, auth *authorization, signedAt time.Time) (*signer, error) {
	secret, principal, err := v.lookup(ctx, auth.scope.accessKeyID)
	if err != nil {
		return nil, err
	}
	return &signer{auth: auth, signedAt: signedAt, secret: secret, principal: principal}, nil
}

// check compares the signature with the one the key makes of r with payload hash hash.
func (k *signer) check(r *http.Request, hash string) (*Identity, error) {
	sc := k.auth.scope
	want := signature(k.secret, sc, k.signedAt, canonicalRequest(r, k.auth.signedHeaders, hash, sc.service != "s3"))
	if !hmac.Equal([]byte(want), []byte(k.auth.signature)) {
		return nil, errSignatureMismatch()
	}
	return &Identity{AccessKeyID: sc.accessKeyID, Principal: k.principal, Region: sc.region, Service: sc.service, SignedAt: k.signedAt}, nil
}

// lookup maps "unknown key" to UnrecognizedClientException, as AWS does for a bad key id.
func (v *Verifier) lookup(ctx context.Context, accessKeyID string) (secret, principal string, err error) {
	secret, principal, err = v.Lookup(ctx, accessKeyID)
	switch {
	case errors.Is(err, ErrUnknownKey) || sluice.IsCode(err, sluice.ENotFound):
		return "", "", errUnrecognized()
	case err != nil:
		return "", "", fmt.Errorf("sigv4: look up access key: %w", err)
	case secret == "":
		// An empty secret would make every signature computable by anyone.
		return "", "", errUnrecognized()
	}
	return secret, principal, nil
}

// payloadHash is the hash the client signed. A client may send it as X-Amz-Content-Sha256;
// it must then match the body, or a replaced body would pass under the original signature.
// UNSIGNED-PAYLOAD and streaming payloads fail for the same reason.
func payloadHash(h http.Header, body []byte) (string, error) {
	sum := sha256Hex(body)
	claimed := h.Get("X-Amz-Content-Sha256")
	if claimed == "" {
		return sum, nil
	}
	if !hmac.Equal([]byte(claimed), []byte(sum)) {
		return "", errInvalidSignature("The provided 'x-amz-content-sha256' header does not match what was computed.")
	}
	return claimed, nil
}

// KeyStoreLookup adapts a sluice.KeyStore (ENotFound for unknown ids) to Verifier.Lookup.
// A key that is not Active (made Inactive, or a retired root key) is refused as an unknown
// one, from the first request after the change.
func KeyStoreLookup(keys sluice.KeyStore) func(ctx context.Context, accessKeyID string) (string, string, error) {
	return func(ctx context.Context, accessKeyID string) (string, string, error) {
		k, err := keys.GetAccessKey(ctx, accessKeyID)
		if err != nil {
			return "", "", err
		}
		if k.Status != "" && k.Status != sluice.KeyActive {
			return "", "", ErrUnknownKey
		}
		return k.Secret, k.Principal, nil
	}
}
