package api

import (
	"errors"
	"net/http"
	"time"

	"sluice"
	"sluice/api/sigv4"
)

// DefaultBodyTimeout bounds reading a request's body when Server.BodyTimeout is 0.
const DefaultBodyTimeout = time.Minute

// readVerified authenticates r and reads its body (at most max bytes) through
// sigv4.ReadVerified, which reads nothing before the signature's headers pass. The body is
// read under a deadline, lifted once it is read: a long poll or a log follow goes on. A body
// over max is an error of code tooLarge.
func (s *Server) readVerified(w http.ResponseWriter, r *http.Request, max int64, tooLarge sluice.Code) ([]byte, *sigv4.Identity, error) {
	rc := http.NewResponseController(w)
	timeout := s.BodyTimeout
	if timeout <= 0 {
		timeout = DefaultBodyTimeout
	}
	_ = rc.SetReadDeadline(time.Now().Add(timeout)) // fails only where unsupported (a test's recorder)
	body, id, err := s.Verifier.ReadVerified(r, max)
	if err == nil { // kept on a refusal: its unread body is not waited for
		_ = rc.SetReadDeadline(time.Time{})
	}
	switch {
	case errors.Is(err, sigv4.ErrBodyTooLarge):
		return nil, nil, sluice.Errorf(tooLarge, "", "The request body is larger than %d bytes.", max)
	case errors.Is(err, sigv4.ErrBodyUnreadable):
		return nil, nil, sluice.Errorf(sluice.EInvalid, "", "Could not read the request body: %v", errors.Unwrap(err))
	}
	return body, id, err
}
