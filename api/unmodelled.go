package api

import (
	"errors"

	"sluice"
)

// asModelled answers a core ENotFound that the operation's model names no exception for with
// the exception the model has for it (code and resource as the exception package names them),
// keeping the message: SDKs type only the exceptions an operation's model lists. Every other
// error passes unchanged. TestRoutedOperationsAnswerTheirModel finds the operations that
// need it; docs/compatibility.md lists them.
func (s *Server) asModelled(err error, code sluice.Code, resource string) error {
	var e *sluice.Error
	if !errors.As(err, &e) || e.Code != sluice.ENotFound {
		return err
	}
	return &sluice.Error{Code: code, Resource: resource, Message: exceptionMessage(e, s.account())}
}

// notFound reports whether err is the core's ENotFound of resource.
func notFound(err error, resource string) bool {
	var e *sluice.Error
	return errors.As(err, &e) && e.Code == sluice.ENotFound && e.Resource == resource
}
