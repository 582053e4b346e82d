package s3deploy

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/aws/smithy-go"
)

// target is where a deploy writes objects: a bucket or a directory.
type target interface {
	// put stores one object, reading body to its end; what it returns is a *putError
	// naming the object. It is safe for concurrent use.
	put(ctx context.Context, o object) error
	// location names key in logs and summaries, as s3://bucket/key or file:///dir/key;
	// key "" names the target's root.
	location(key string) string
}

// object is one object to store.
type object struct {
	key         string // a slash path
	body        io.Reader
	contentType string // "" lets the target choose
}

// putError is a failure of the target, as opposed to one reading the input artifact: the
// action fails with it.
type putError struct {
	location string
	err      error
}

func (e *putError) Error() string {
	var api smithy.APIError
	if errors.As(e.err, &api) {
		return fmt.Sprintf("upload %s: %s: %s", e.location, api.ErrorCode(), api.ErrorMessage())
	}
	return fmt.Sprintf("upload %s: %v", e.location, e.err)
}

func (e *putError) Unwrap() error { return e.err }

// syncWriter serialises the log lines of concurrent uploads.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) printf(format string, args ...any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fmt.Fprintf(s.w, format, args...)
}
