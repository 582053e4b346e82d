package sluice

import "time"

// Staging labels of Secrets Manager versions.
const (
	StageCurrent  = "AWSCURRENT"
	StagePrevious = "AWSPREVIOUS"
	StagePending  = "AWSPENDING"
)

// Secret is a Secrets Manager secret without its values (see SecretVersion).
type Secret struct {
	ARN         string // arn:aws:secretsmanager:R:A:secret:<name>-<6 random characters>
	Name        string
	Description string
	KmsKeyID    string // echoed only: there is no KMS; the store's Sealer encrypts values
	Created     time.Time
	Changed     time.Time // the last change of its metadata or values
	Accessed    time.Time // the day of the last GetSecretValue (zero: never)
	// Deleted is when a scheduled deletion takes effect (zero: none). Until then the secret
	// refuses reads and writes and keeps its name.
	Deleted time.Time
}

// SecretVersion is one value of a secret: a string or binary value, and its staging labels.
type SecretVersion struct {
	ID     string // the ClientRequestToken that made it
	String string
	Binary []byte
	// IsBinary says which of String and Binary the version holds.
	IsBinary bool
	Stages   []string
	Created  time.Time
}

// Parameter types of Parameter Store.
const (
	ParamString       = "String"
	ParamStringList   = "StringList"
	ParamSecureString = "SecureString"
)

// Parameter is one version of a Parameter Store parameter.
type Parameter struct {
	Name           string
	Version        int64
	Type           string // a Param* constant
	Value          string // sealed at rest when Type is ParamSecureString
	KeyID          string // SecureString's KeyId, echoed (default alias/aws/ssm)
	Description    string
	AllowedPattern string
	DataType       string // "text" or "aws:ec2:image"
	Tier           string // "Standard" or "Advanced"
	Modified       time.Time
	ModifiedBy     string // the principal that put the version
}

// The kinds of ARN of secrets and parameters.
var (
	SecretARN    = ARNKind{Service: "secretsmanager", Type: "secret", Sep: ":"} // <name>-<6 characters>
	ParameterARN = ARNKind{Service: "ssm", Type: "parameter", Sep: "/"}         // <name without its leading />
)
