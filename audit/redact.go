package audit

import (
	"bytes"
	"encoding/json"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Hidden is what CloudTrail writes in place of a secret in requestParameters.
const Hidden = "HIDDEN_DUE_TO_SECURITY_REASONS"

// MaxParameters bounds requestParameters and responseElements, as CloudTrail does (100 KB);
// a larger one is recorded as null.
const MaxParameters = 100 << 10

// SecretMembers names, in lower case, every request or response member that holds a secret,
// whatever the operation: hidden in requestParameters, dropped from responseElements. It is
// the one list to extend when a surface takes a new kind of secret.
var SecretMembers = map[string]bool{
	// Access keys and temporary credentials (IAM CreateAccessKey, job artifact credentials).
	"secretaccesskey": true, "secretkey": true, "sessiontoken": true,
	// Passwords and keys (IAM login profiles, connections' hosts, SSH keys).
	"password": true, "newpassword": true, "oldpassword": true, "privatekey": true, "sshkey": true,
	// Webhook, function and connection secrets; git hosts' tokens.
	"secret": true, "webhooksecret": true, "secrettoken": true, "oauthtoken": true,
	"accesstoken": true, "personalaccesstoken": true, "authtoken": true,
	// Secrets Manager.
	"secretstring": true, "secretbinary": true, "randompassword": true,
}

// SecretMembersOf names members that hold a secret only in one operation (by eventName):
// SSM's parameter values (PSParameterValue is sensitive, SecureString or not).
var SecretMembersOf = map[string]map[string]bool{
	"PutParameter":              {"value": true},
	"GetParameter":              {"value": true},
	"GetParameters":             {"value": true},
	"GetParametersByPath":       {"value": true},
	"GetParameterHistory":       {"value": true},
	"LabelParameterVersion":     {"value": true},
	"ProvideAccessTokenForHost": {"token": true},
	// SNS's confirmation token confirms a subscription to whoever holds it.
	"ConfirmSubscription": {"token": true},
}

// Parameters is a request's input as requestParameters: each member name's first letter in
// lower case, secrets hidden; null for no input, input that is not a JSON object, or input
// over MaxParameters.
func Parameters(raw []byte) json.RawMessage { return ParametersOf("", raw) }

// ParametersOf is Parameters for the operation op, whose own secret members it hides too.
func ParametersOf(op string, raw []byte) json.RawMessage {
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if len(bytes.TrimSpace(raw)) == 0 || dec.Decode(&v) != nil {
		return json.RawMessage("null")
	}
	if _, ok := v.(map[string]any); !ok {
		return json.RawMessage("null")
	}
	return encode(clean(v, SecretMembersOf[op], false))
}

// Response is a call's answer as responseElements: the same casing, secrets dropped. A
// json.RawMessage is taken as the surface wrote it (a sign-in's {"ConsoleLogin": ...}).
func Response(out any) json.RawMessage {
	if raw, ok := out.(json.RawMessage); ok {
		return raw
	}
	b, err := json.Marshal(out)
	if err != nil {
		return json.RawMessage("null")
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if dec.Decode(&v) != nil {
		return json.RawMessage("null")
	}
	if m, ok := v.(map[string]any); ok && len(m) == 0 {
		return json.RawMessage("null")
	}
	return encode(clean(v, nil, true))
}

func encode(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil || len(b) > MaxParameters {
		return json.RawMessage("null")
	}
	return b
}

// clean lower-cases the first letter of every member name and hides (or, with drop, removes)
// every secret member.
func clean(v any, extra map[string]bool, drop bool) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, val := range t {
			lk := strings.ToLower(k)
			if SecretMembers[lk] || extra[lk] {
				if !drop {
					out[lowerFirst(k)] = Hidden
				}
				continue
			}
			out[lowerFirst(k)] = clean(val, extra, drop)
		}
		return out
	case []any:
		for i := range t {
			t[i] = clean(t[i], extra, drop)
		}
		return t
	}
	return v
}

func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 || unicode.IsLower(r) {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}
