package sluice

import "context"

// Sealer encrypts the secrets a Store keeps (access-key secrets, connection credentials,
// webhook and function secrets, Secrets Manager values, SecureString parameters), so that a
// copy of the database, its WAL or a backup reveals none of them. The key stays outside the
// database. Safe for concurrent use.
//
// A sealed text names the key that sealed it, so a Sealer may hold older keys it still
// opens with while it seals with its current one: that is how the key is rotated (the store
// re-seals every row under the current key when it opens).
type Sealer interface {
	// Seal encrypts plaintext under the current key, bound to aad (the place it is stored:
	// it opens only with the same aad), as printable text.
	Seal(plaintext, aad []byte) (string, error)
	// Open decrypts a text Seal returned (with any key the Sealer holds). A text it cannot
	// open (an unknown key, another aad, a changed byte) is an error that says which; it
	// never returns garbage.
	Open(sealed string, aad []byte) ([]byte, error)
	// KeyID is the id of the key Seal uses.
	KeyID() string
	// SealedWith returns the id of the key a sealed text names, and false for a text that is
	// not one Seal makes (plaintext, say).
	SealedWith(text string) (string, bool)
}

// SecretStore keeps Secrets Manager secrets and their versions. On the Store each method is
// one transaction; through a transaction's Executor it joins that one. Values are sealed at
// rest (see Sealer): only SecretValue returns one.
type SecretStore interface {
	// CreateSecret stores s with no version (EAlreadyExists/Secret when its name or ARN is
	// taken, a secret scheduled for deletion included).
	CreateSecret(ctx context.Context, s *Secret) error
	// GetSecret returns the secret whose ARN or name is id (ENotFound/Secret).
	GetSecret(ctx context.Context, id string) (*Secret, error)
	// UpdateSecret replaces the Description, KmsKeyID, Changed, Accessed and Deleted of the
	// secret s.ARN (ENotFound/Secret).
	UpdateSecret(ctx context.Context, s *Secret) error
	// ListSecrets returns one page of secrets by name, those scheduled for deletion too.
	ListSecrets(ctx context.Context, p Page) ([]*Secret, string, error)
	// DeleteSecret removes the secret, its versions and tags (ENotFound/Secret).
	DeleteSecret(ctx context.Context, arn string) error
	// PutSecretVersion stores v as a version of the secret arn (EAlreadyExists/SecretVersion
	// when the secret has a version v.ID, ENotFound/Secret when there is no secret arn).
	PutSecretVersion(ctx context.Context, arn string, v *SecretVersion) error
	// SetSecretStages replaces the staging labels of version id of arn
	// (ENotFound/SecretVersion).
	SetSecretStages(ctx context.Context, arn, id string, stages []string) error
	// SecretVersions returns the versions of arn, newest first, without their values
	// (String and Binary empty).
	SecretVersions(ctx context.Context, arn string) ([]*SecretVersion, error)
	// SecretValue returns version id of arn with its value (ENotFound/SecretVersion).
	SecretValue(ctx context.Context, arn, id string) (*SecretVersion, error)
	// PipelineAuthor returns the principal that saved version of the named pipeline, whose
	// policy decides which secrets its jobs may read: "" for a version saved before Sluice
	// kept it (ENotFound/Pipeline when there is no such version).
	PipelineAuthor(ctx context.Context, name string, version int) (string, error)
}

// ParameterStore keeps Parameter Store parameters, every version of each. On the Store each
// method is one transaction; through a transaction's Executor it joins that one.
type ParameterStore interface {
	// PutParameter stores p as the parameter's next version and sets p.Version (1 for a new
	// one). When the name exists and overwrite is false it stores nothing:
	// EAlreadyExists/Parameter. Past maxVersions versions the oldest is dropped.
	PutParameter(ctx context.Context, p *Parameter, overwrite bool, maxVersions int) error
	// GetParameter returns version (0: the latest) of the named parameter (ENotFound/Parameter
	// when there is no such name, ENotFound/ParameterVersion when there is no such version).
	GetParameter(ctx context.Context, name string, version int64) (*Parameter, error)
	// ParametersByPath returns one page of the latest versions of the parameters under path
	// (which ends with "/"), by name: those one level below it, or every level when recursive.
	ParametersByPath(ctx context.Context, path string, recursive bool, p Page) ([]*Parameter, string, error)
	// DeleteParameter removes every version of the named parameter (ENotFound/Parameter).
	DeleteParameter(ctx context.Context, name string) error
}

// Where a job's secret reference points.
const (
	SourceSecretsManager = "SECRETS_MANAGER" // secret-id[:json-key[:version-stage[:version-id]]]
	SourceParameter      = "PARAMETER_STORE" // a parameter name (or name:version)
)

// SecretRef is a value a job asks for by reference: a buildspec's env.secrets-manager or
// env.parameter-store entry, or an environment variable of type SECRETS_MANAGER or
// PARAMETER_STORE.
type SecretRef struct {
	Source string // SourceSecretsManager or SourceParameter
	Ref    string
}

// SecretResolver fetches the values a running job refers to, as the principal that last
// saved the job's pipeline may read them. It returns one value per ref, in order, or an
// *Error whose message names the reference that failed (missing, not allowed, malformed)
// and never holds a value. The runner masks every value it returns in the job's log.
type SecretResolver interface {
	ResolveSecrets(ctx context.Context, job *Job, refs []SecretRef) ([]string, error)
}
