package api

import (
	"net/http"

	"sluice"
	"sluice/api/sigv4"
)

// DefaultBodyTimeout bounds reading a request's body when Server.BodyTimeout is 0.
const DefaultBodyTimeout = sigv4.DefaultBodyTimeout

// readVerified authenticates r and reads its body (at most max bytes) through
// sigv4.ReadVerified, which reads nothing before the signature's headers pass, under
// BodyTimeout (see sigv4.Verifier.ReadBody). A body over max is an error of code tooLarge.
func (s *Server) readVerified(w http.ResponseWriter, r *http.Request, max int64, tooLarge sluice.Code) ([]byte, *sigv4.Identity, error) {
	return s.Verifier.ReadBody(w, r, max, s.BodyTimeout, tooLarge)
}
