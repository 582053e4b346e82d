package sigv4

import (
	"fmt"
	"strings"
)

const algorithm = "AWS4-HMAC-SHA256"

// authorization is the parsed Authorization header of a signed request.
type authorization struct {
	scope         scope
	signedHeaders []string // lower case, in the order the client listed (and signed) them
	signature     string   // lower-case hex
}

// scope is the Credential parameter: who signed, and for which day, region and service.
type scope struct {
	accessKeyID string
	date        string // YYYYMMDD
	region      string
	service     string
}

// String is the credential scope as it appears in the string to sign.
func (s scope) String() string {
	return s.date + "/" + s.region + "/" + s.service + "/aws4_request"
}

// parseAuthorization reads "AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...".
func parseAuthorization(header string) (*authorization, error) {
	if header == "" {
		return nil, errMissingToken()
	}
	rest, ok := strings.CutPrefix(header, algorithm+" ")
	if !ok {
		return nil, errIncomplete("Unsupported Authorization header; only " + algorithm + " is accepted.")
	}
	params, err := authParams(rest)
	if err != nil {
		return nil, err
	}
	sc, err := parseCredential(params["Credential"])
	if err != nil {
		return nil, err
	}
	signed, err := parseSignedHeaders(params["SignedHeaders"])
	if err != nil {
		return nil, err
	}
	return &authorization{scope: sc, signedHeaders: signed, signature: strings.ToLower(params["Signature"])}, nil
}

// authParams splits the comma-separated key=value list and requires the three parameters.
func authParams(s string) (map[string]string, error) {
	params := map[string]string{}
	for part := range strings.SplitSeq(s, ",") {
		key, value, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return nil, errIncomplete(fmt.Sprintf("Authorization header parameter %q is not of the form key=value.", part))
		}
		if _, dup := params[key]; dup {
			return nil, errIncomplete(fmt.Sprintf("Authorization header parameter '%s' is repeated.", key))
		}
		params[key] = value
	}
	for _, key := range []string{"Credential", "SignedHeaders", "Signature"} {
		if params[key] == "" {
			return nil, errIncomplete(fmt.Sprintf("Authorization header requires '%s' parameter.", key))
		}
	}
	return params, nil
}

// parseCredential reads AKID/YYYYMMDD/region/service/aws4_request.
func parseCredential(s string) (scope, error) {
	parts := strings.Split(s, "/")
	if len(parts) != 5 || parts[4] != "aws4_request" || !isDate(parts[1]) ||
		parts[0] == "" || parts[2] == "" || parts[3] == "" {
		return scope{}, errIncomplete("Credential should be of the form " +
			"<access key id>/<YYYYMMDD>/<region>/<service>/aws4_request.")
	}
	return scope{accessKeyID: parts[0], date: parts[1], region: parts[2], service: parts[3]}, nil
}

func isDate(s string) bool {
	if len(s) != 8 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// parseSignedHeaders requires host among the signed headers: without it a signature made for
// another endpoint would be accepted here.
func parseSignedHeaders(s string) ([]string, error) {
	names := strings.Split(s, ";")
	hasHost := false
	for _, name := range names {
		if name == "" || name != strings.ToLower(name) {
			return nil, errIncomplete("SignedHeaders must be a ';'-separated list of lower-case header names.")
		}
		hasHost = hasHost || name == "host"
	}
	if !hasHost {
		return nil, errIncomplete("'Host' must be a 'SignedHeader' in the AWS Authorization.")
	}
	return names, nil
}
