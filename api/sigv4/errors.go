package sigv4

import "net/http"

// AWS error names an authentication failure is answered with. AWS JSON services send them as
// "__type" with HTTP 400; the SDKs and the CLI recognise them by name.
const (
	NameMissingToken     = "MissingAuthenticationTokenException"
	NameIncomplete       = "IncompleteSignatureException"
	NameUnrecognized     = "UnrecognizedClientException"
	NameInvalidSignature = "InvalidSignatureException"
	// Refusals before authentication (package preauth): the SDKs retry both with backoff.
	NameThrottling  = "ThrottlingException"
	NameUnavailable = "ServiceUnavailableException"
)

// AuthError is a request that failed authentication: the AWS error name to send as "__type",
// the message and the HTTP status. It is the only error Verify returns for a bad request;
// any other error (a failing Lookup) is the server's fault and should become InternalFailure.
type AuthError struct {
	Name    string
	Message string
	Status  int
}

func (e *AuthError) Error() string { return e.Name + ": " + e.Message }

func authError(name, message string) *AuthError {
	return &AuthError{Name: name, Message: message, Status: http.StatusBadRequest}
}

func errMissingToken() *AuthError {
	return authError(NameMissingToken, "Request is missing Authentication Token")
}

func errIncomplete(message string) *AuthError { return authError(NameIncomplete, message) }

func errUnrecognized() *AuthError {
	return authError(NameUnrecognized, "The security token included in the request is invalid.")
}

func errSignatureMismatch() *AuthError {
	return authError(NameInvalidSignature, "The request signature we calculated does not match "+
		"the signature you provided. Check your AWS Secret Access Key and signing method.")
}

func errInvalidSignature(message string) *AuthError {
	return authError(NameInvalidSignature, message)
}
