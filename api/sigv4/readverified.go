package sigv4

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"

	"sluice/preauth"
)

// ReadVerified's errors for a body longer than its cap, and for one the sender did not send
// whole (wrapping the read's error); each protocol answers them in its own words.
var (
	ErrBodyTooLarge   = preauth.ErrTooLarge
	ErrBodyUnreadable = preauth.ErrUnreadable
)

// ReadVerified authenticates r and returns its body, at most max bytes, doing for a sender
// not yet known only what bounds its cost:
//
//  1. Gate admits the request (an *AuthError named ThrottlingException or
//     ServiceUnavailableException when it does not);
//  2. the Authorization header, the signing time and the access key are checked before a
//     byte of the body is read: no header, a stale date or an unknown key costs nothing more;
//  3. with an X-Amz-Content-Sha256 header the signature is checked on it before reading too;
//  4. the body is read within max (ErrBodyTooLarge past it, refused by Content-Length when
//     that says so), hashed as it streams, and spooled: at most preauth.InMemory bytes of it
//     are in memory until the signature over its hash is verified.
//
// Only then is the body held whole. Failures of the request are an *AuthError or
// ErrBodyTooLarge or ErrBodyUnreadable; a failing Lookup or spool is returned as is. r must carry the URL and Host
// the client signed.
func (v *Verifier) ReadVerified(r *http.Request, max int64) ([]byte, *Identity, error) {
	pass, err := v.Gate.Enter(r.Context(), r.RemoteAddr)
	if err != nil {
		return nil, nil, gateError(err)
	}
	body, id, err := v.readVerified(r, max)
	var ae *AuthError
	switch {
	case errors.As(err, &ae):
		pass.Failed()
		return nil, nil, err
	case err != nil:
		pass.Done()
		return nil, nil, err
	}
	pass.Verified()
	return body, id, nil
}

func (v *Verifier) readVerified(r *http.Request, max int64) ([]byte, *Identity, error) {
	auth, signedAt, err := v.headers(r)
	if err != nil {
		return nil, nil, err
	}
	claimed := r.Header.Get("X-Amz-Content-Sha256")
	if claimed != "" && !isHexSHA256(claimed) {
		return nil, nil, errInvalidSignature(fmt.Sprintf("X-Amz-Content-Sha256 %q is not supported here: send the payload's SHA-256.", claimed))
	}
	k, err := v.key(r.Context(), auth, signedAt)
	if err != nil {
		return nil, nil, err
	}
	if claimed != "" { // the signature covers the claim: check it before reading
		if _, err := k.check(r, claimed); err != nil {
			return nil, nil, err
		}
	}
	if r.ContentLength > max {
		return nil, nil, ErrBodyTooLarge
	}
	h := sha256.New()
	spooled, err := preauth.ReadBody(r.Body, max, v.SpoolDir, h)
	if err != nil {
		return nil, nil, err
	}
	defer spooled.Close()
	sum := hex.EncodeToString(h.Sum(nil))
	if claimed != "" && !hmac.Equal([]byte(claimed), []byte(sum)) {
		return nil, nil, errInvalidSignature("The provided 'x-amz-content-sha256' header does not match what was computed.")
	}
	id, err := k.check(r, sum)
	if err != nil {
		return nil, nil, err
	}
	body, err := spooled.Bytes()
	return body, id, err
}

// gateError is a Gate's refusal as AWS words it: throttling for an address that failed too
// often, 503 while too many requests are being authenticated.
func gateError(err error) *AuthError {
	if errors.Is(err, preauth.ErrThrottled) {
		return &AuthError{Name: NameThrottling, Message: "Rate exceeded", Status: http.StatusTooManyRequests}
	}
	return &AuthError{Name: NameUnavailable, Message: "The service is busy authenticating other requests; retry shortly.",
		Status: http.StatusServiceUnavailable}
}
