package sluice

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
