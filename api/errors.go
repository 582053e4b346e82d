package api

import (
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"

	"sluice"
	"sluice/api/exception"
	"sluice/api/sigv4"
)

// protocolError is an error of the protocol itself (an unknown target), named as AWS names it.
type protocolError struct {
	Name, Message string
}

func (e *protocolError) Error() string { return e.Name + ": " + e.Message }

// exceptionName maps a core error to the exception the API model defines (the table is in
// package exception, which the console's audit records also name errors by).
func exceptionName(e *sluice.Error) string { return exception.Name(e) }

// exceptionMessage is a core error's message on the wire. Stores do not know the account, so
// the pipeline-not-found message gets AWS's "Account '<id>'" subject here.
func exceptionMessage(e *sluice.Error, account string) string {
	if account != "" && e.Code == sluice.ENotFound && e.Resource == "Pipeline" && strings.HasPrefix(e.Message, "does not have ") {
		return "Account '" + account + "' " + e.Message
	}
	return e.Message
}

// writeError writes err as AWS JSON 1.1 does: {"__type", "message"} plus X-Amzn-ErrorType.
// Internal errors are logged with the request id and sent without detail.
func writeError(w http.ResponseWriter, log *slog.Logger, reqID, account string, err error) {
	var (
		name   string
		msg    string
		status = http.StatusBadRequest
		se     *sluice.Error
		ae     *sigv4.AuthError
		pe     *protocolError
	)
	switch {
	case errors.As(err, &pe):
		name, msg = pe.Name, pe.Message
	case errors.As(err, &ae):
		name, msg, status = ae.Name, ae.Message, ae.Status
	case errors.As(err, &se) && se.Code != sluice.EInternal:
		name, msg = exceptionName(se), exceptionMessage(se, account)
	default:
		log.Error("internal error", "request_id", reqID, "err", err)
		name, msg, status = "InternalFailure", "The request processing has failed because of an unknown error, exception or failure. Request id: "+reqID, http.StatusInternalServerError
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.Header().Set("X-Amzn-ErrorType", name)
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"__type": name, "message": msg})
}

// writeTextError writes err for the plain-text log endpoint, whose clients (curl, the
// console, `sluice logs`) read the HTTP status and a one-line message: 403 for a request
// that failed authentication or was denied, 404, 409, 413 or 400 for a core error, 500 with the request
// id for anything else, logged here as writeError logs it.
func writeTextError(w http.ResponseWriter, log *slog.Logger, reqID, account string, err error) {
	var (
		status int
		msg    string
		se     *sluice.Error
		ae     *sigv4.AuthError
	)
	switch {
	case errors.As(err, &ae):
		status, msg = http.StatusForbidden, ae.Error()
		if ae.Status != http.StatusBadRequest { // a refusal before authentication: 429, 503
			status = ae.Status
		}
	case errors.As(err, &se) && se.Code != sluice.EInternal:
		status, msg = textStatus(se.Code), exceptionMessage(se, account)
	default:
		log.Error("internal error", "request_id", reqID, "err", err)
		status, msg = http.StatusInternalServerError, "The request processing has failed because of an unknown error. Request id: "+reqID
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, msg+"\n")
}

func textStatus(code sluice.Code) int {
	switch code {
	case sluice.ENotFound:
		return http.StatusNotFound
	case sluice.EConflict:
		return http.StatusConflict
	case sluice.ELimit:
		return http.StatusRequestEntityTooLarge
	case sluice.EAccessDenied:
		return http.StatusForbidden
	}
	return http.StatusBadRequest
}
