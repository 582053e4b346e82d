package restjson

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"sluice"
	"sluice/api/sigv4"
	"sluice/service"
)

// wireError is an error as CodeStar Notifications sends it.
type wireError struct {
	name    string
	status  int
	message string
}

const internalMessage = "The request processing has failed because of an unknown error, exception or failure."

// toWire maps any error of a request to the exception, status and message the model names.
// This is the only place an error becomes a rest-json error.
func toWire(err error) wireError {
	var ae *sigv4.AuthError
	if errors.As(err, &ae) {
		return wireError{ae.Name, ae.Status, ae.Message}
	}
	var se *sluice.Error
	if !errors.As(err, &se) {
		return wireError{"InternalFailure", http.StatusInternalServerError, internalMessage}
	}
	switch se.Code {
	case sluice.ENotFound:
		return wireError{"ResourceNotFoundException", http.StatusNotFound, se.Message}
	case sluice.EAlreadyExists:
		return wireError{"ResourceAlreadyExistsException", http.StatusConflict, se.Message}
	case sluice.ELimit:
		return wireError{"LimitExceededException", http.StatusBadRequest, se.Message}
	case sluice.EConflict:
		return wireError{"ConcurrentModificationException", http.StatusBadRequest, se.Message}
	case sluice.EAccessDenied:
		return wireError{"AccessDeniedException", http.StatusForbidden, se.Message}
	case sluice.EUnsupported:
		return wireError{"UnknownOperationException", http.StatusNotFound, se.Message}
	case sluice.EInvalid:
		switch se.Resource {
		case "NextToken":
			return wireError{"InvalidNextTokenException", http.StatusBadRequest, se.Message}
		case service.ResourceTargetConfiguration:
			return wireError{"ConfigurationException", http.StatusBadRequest, se.Message}
		}
		return wireError{"ValidationException", http.StatusBadRequest, se.Message}
	}
	return wireError{"InternalFailure", http.StatusInternalServerError, internalMessage}
}

func outcome(err error) string {
	if err == nil {
		return "ok"
	}
	return toWire(err).name
}

// writeError writes err as rest-json does: the exception's name in X-Amzn-ErrorType and the
// body, its message in the body. Internal errors are logged with the request id.
func writeError(w http.ResponseWriter, log *slog.Logger, reqID string, err error) {
	we := toWire(err)
	if we.status >= 500 {
		log.Error("internal error", "request_id", reqID, "err", err)
		we.message += " Request id: " + reqID
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amzn-ErrorType", we.name)
	w.WriteHeader(we.status)
	_ = json.NewEncoder(w).Encode(map[string]string{"__type": we.name, "message": we.message})
}
