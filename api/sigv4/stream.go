package sigv4

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"hash"
	"io"
)

// ErrPayloadMismatch ends a CheckedBody whose content does not hash to what was signed.
var ErrPayloadMismatch = errors.New("the body does not match its signed X-Amz-Content-Sha256")

func isHexSHA256(s string) bool {
	if len(s) != 2*sha256.Size {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}

// CheckedBody returns body as a reader that hashes what passes through and, at the end,
// returns ErrPayloadMismatch instead of io.EOF when the hash is not claimed (the value
// AuthenticateStream returned). A store reading it to the end therefore fails, and keeps
// nothing, when the body was replaced. UnsignedPayload is passed through unchecked.
func CheckedBody(body io.Reader, claimed string) io.Reader {
	if claimed == UnsignedPayload {
		return body
	}
	return &checkedBody{r: body, h: sha256.New(), want: claimed}
}

type checkedBody struct {
	r    io.Reader
	h    hash.Hash
	want string
}

func (c *checkedBody) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.h.Write(p[:n])
	if errors.Is(err, io.EOF) && hex.EncodeToString(c.h.Sum(nil)) != c.want {
		return n, ErrPayloadMismatch
	}
	return n, err
}
