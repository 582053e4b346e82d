package query

import (
	"encoding/xml"
	"errors"
	"log/slog"
	"net/http"

	"sluice"
	"sluice/api/sigv4"
)

// wireError is an error as the query protocol sends it.
type wireError struct {
	code    string
	status  int
	message string
}

// toWire maps any error of a request to the code, status and message the service of
// namespace ns (IAM and STS, or SNS) would send. This is the only place an error becomes a
// query-protocol error.
func toWire(ns string, err error) wireError {
	var ae *sigv4.AuthError
	if errors.As(err, &ae) {
		switch ae.Name {
		case sigv4.NameUnrecognized:
			return wireError{"InvalidClientTokenId", http.StatusForbidden, ae.Message}
		case sigv4.NameInvalidSignature:
			return wireError{"SignatureDoesNotMatch", http.StatusForbidden, ae.Message}
		case sigv4.NameMissingToken:
			return wireError{"MissingAuthenticationToken", http.StatusForbidden, ae.Message}
		case sigv4.NameThrottling:
			return wireError{"Throttling", http.StatusBadRequest, ae.Message}
		case sigv4.NameUnavailable:
			return wireError{"ServiceUnavailable", http.StatusServiceUnavailable, ae.Message}
		}
		return wireError{"IncompleteSignature", http.StatusBadRequest, ae.Message}
	}
	var se *sluice.Error
	if ns == snsNamespace {
		if !errors.As(err, &se) {
			return wireError{"InternalError", http.StatusInternalServerError, "Internal Error"}
		}
		return snsWire(se)
	}
	if !errors.As(err, &se) {
		return wireError{"ServiceFailure", http.StatusInternalServerError, "The request processing has failed because of an unknown error, exception or failure."}
	}
	switch se.Code {
	case sluice.ENotFound:
		return wireError{"NoSuchEntity", http.StatusNotFound, se.Message}
	case sluice.EAlreadyExists:
		return wireError{"EntityAlreadyExists", http.StatusConflict, se.Message}
	case sluice.ELimit:
		return wireError{"LimitExceeded", http.StatusConflict, se.Message}
	case sluice.EConflict:
		return wireError{"DeleteConflict", http.StatusConflict, se.Message}
	case sluice.EAccessDenied:
		return wireError{"AccessDenied", http.StatusForbidden, se.Message}
	case sluice.EUnsupported:
		return wireError{"InvalidAction", http.StatusBadRequest, se.Message}
	case sluice.EInvalid:
		switch se.Resource {
		case "PolicyDocument":
			return wireError{"MalformedPolicyDocument", http.StatusBadRequest, se.Message}
		case "Marker", "PolicyArn":
			return wireError{"InvalidInput", http.StatusBadRequest, se.Message}
		}
		return wireError{"ValidationError", http.StatusBadRequest, se.Message}
	}
	return wireError{"ServiceFailure", http.StatusInternalServerError, "The request processing has failed because of an unknown error, exception or failure."}
}

// snsWire is SNS's exception for an error of the core (the model's codes and statuses).
func snsWire(se *sluice.Error) wireError {
	switch se.Code {
	case sluice.ENotFound:
		if se.Resource == "TagResource" {
			return wireError{"ResourceNotFound", http.StatusNotFound, se.Message}
		}
		return wireError{"NotFound", http.StatusNotFound, se.Message}
	case sluice.EAccessDenied:
		return wireError{"AuthorizationError", http.StatusForbidden, se.Message}
	case sluice.ELimit:
		if se.Resource == "Tags" {
			return wireError{"TagLimitExceeded", http.StatusBadRequest, se.Message}
		}
		return wireError{"SubscriptionLimitExceeded", http.StatusForbidden, se.Message}
	case sluice.EConflict:
		return wireError{"ConcurrentAccess", http.StatusBadRequest, se.Message}
	case sluice.EUnsupported:
		return wireError{"InvalidAction", http.StatusBadRequest, se.Message}
	case sluice.EInvalid, sluice.EAlreadyExists:
		switch se.Resource {
		case "MessageAttributes":
			return wireError{"ParameterValueInvalid", http.StatusBadRequest, se.Message}
		case "TagPolicy", "Tags":
			return wireError{"TagPolicy", http.StatusBadRequest, se.Message}
		}
		return wireError{"InvalidParameter", http.StatusBadRequest, se.Message}
	}
	return wireError{"InternalError", http.StatusInternalServerError, "Internal Error"}
}

func outcome(ns string, err error) string {
	if err == nil {
		return "ok"
	}
	return toWire(ns, err).code
}

// errorResponse is the query protocol's error envelope.
type errorResponse struct {
	XMLName xml.Name `xml:"ErrorResponse"`
	NS      string   `xml:"xmlns,attr"`
	Error   struct {
		Type    string
		Code    string
		Message string
	}
	RequestID string `xml:"RequestId"`
}

func writeError(w http.ResponseWriter, log *slog.Logger, reqID, ns string, err error) {
	we := toWire(ns, err)
	if we.status >= 500 {
		log.Error("internal error", "request_id", reqID, "err", err)
	}
	resp := errorResponse{NS: ns, RequestID: reqID}
	resp.Error.Type, resp.Error.Code, resp.Error.Message = "Sender", we.code, we.message
	if we.status >= 500 {
		resp.Error.Type = "Receiver"
	}
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(we.status)
	if err := xml.NewEncoder(w).Encode(resp); err != nil {
		log.Warn("write error response", "request_id", reqID, "err", err)
	}
}
