package sigv4

import (
	"errors"
	"net/http"
	"time"

	"sluice"
)

// DefaultBodyTimeout bounds the reading of a request's body when ReadBody's timeout is 0.
const DefaultBodyTimeout = time.Minute

// ReadBody is ReadVerified for a server's handler: it reads r's body (at most max bytes)
// under a read deadline of timeout (0: DefaultBodyTimeout) on w's connection, lifted once the
// body is read, so that a long poll or a log follow goes on; kept on a refusal, whose unread
// body is not waited for. A body over max is a sluice.Error of code tooLarge and one that
// could not be read an EInvalid, each with the message every protocol answers; other errors
// are ReadVerified's.
func (v *Verifier) ReadBody(w http.ResponseWriter, r *http.Request, max int64, timeout time.Duration, tooLarge sluice.Code) ([]byte, *Identity, error) {
	rc := http.NewResponseController(w)
	if timeout <= 0 {
		timeout = DefaultBodyTimeout
	}
	_ = rc.SetReadDeadline(time.Now().Add(timeout)) // fails only where unsupported (a test's recorder)
	body, id, err := v.ReadVerified(r, max)
	if err == nil {
		_ = rc.SetReadDeadline(time.Time{})
	}
	switch {
	case errors.Is(err, ErrBodyTooLarge):
		return nil, nil, sluice.Errorf(tooLarge, "", "The request body is larger than %d bytes.", max)
	case errors.Is(err, ErrBodyUnreadable):
		return nil, nil, sluice.Errorf(sluice.EInvalid, "", "Could not read the request body: %v", errors.Unwrap(err))
	}
	return body, id, err
}
