// Package policy is IAM's identity-policy language: Parse reads and validates a JSON policy
// document, Evaluate decides a request against a principal's documents (explicit deny wins,
// default deny). It is pure and uses the standard library only, so the core, the fuzz
// targets and the tests all call the same code.
package policy

// Versions of the policy language. Policy variables (${aws:username}) exist only in V2012;
// under V2008 (also what an absent Version means) "${...}" is literal text.
const (
	V2012 = "2012-10-17"
	V2008 = "2008-10-17"
)

// Document is a parsed policy document.
type Document struct {
	Version    string // V2012 or V2008 (V2008 when the document has none)
	ID         string
	Statements []Statement
}

// Effect is a statement's effect.
type Effect string

// The two effects, spelled as documents must spell them.
const (
	Allow Effect = "Allow"
	Deny  Effect = "Deny"
)

// Statement is one statement. Exactly one of Action/NotAction and one of Resource/NotResource
// is given in the document; Not* flags say which.
type Statement struct {
	Sid         string
	Effect      Effect
	Actions     []string
	NotAction   bool
	Resources   []string
	NotResource bool
	Conditions  []Condition
}

// Condition is one key under one operator: all of a statement's Conditions must hold.
type Condition struct {
	Operator string // as written: "ForAnyValue:StringLikeIfExists"
	Key      string
	Values   []string
	op       operator
}

// MalformedError is a document IAM would refuse with MalformedPolicyDocument; Message is
// AWS's text, with what is wrong where AWS's text does not say.
type MalformedError struct{ Message string }

func (e *MalformedError) Error() string { return e.Message }

func malformed(format string, args ...any) error {
	return &MalformedError{Message: sprintf(format, args...)}
}
