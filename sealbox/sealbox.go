// Package sealbox is the Sealer the store encrypts secrets with: XChaCha20-Poly1305
// (golang.org/x/crypto) under 256-bit keys that live in a key file or an environment
// variable, never in the database. A random 24-byte nonce per seal is safe at any volume.
//
// A sealed text is "sb1:<key id>:<base64url(nonce | ciphertext)>": the version of the
// format, then the key that sealed it, so a Box may hold older keys to open old texts while
// it seals with the first (the current) one. The format version and key id are part of the
// associated data, so neither can be changed without Open failing.
package sealbox

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"

	"golang.org/x/crypto/chacha20poly1305"
	"golang.org/x/crypto/hkdf"

	"sluice"
)

var _ sluice.Sealer = (*Box)(nil)

const prefix = "sb1"

var idPattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9_-]{1,32}$`) })

// Key is one encryption key and its id.
type Key struct {
	ID     string
	secret []byte
}

// Box seals with its first key and opens with any of its keys.
type Box struct{ keys []Key }

// New returns a Box over keys; the first is the current one.
func New(keys ...Key) (*Box, error) {
	if len(keys) == 0 {
		return nil, errors.New("sealbox: no key")
	}
	seen := map[string]bool{}
	for _, k := range keys {
		if seen[k.ID] {
			return nil, fmt.Errorf("sealbox: key id %s appears twice", k.ID)
		}
		seen[k.ID] = true
	}
	return &Box{keys: keys}, nil
}

// NewKey makes a random key with a random id.
func NewKey() Key {
	secret := make([]byte, chacha20poly1305.KeySize)
	id := make([]byte, 4)
	if _, err := io.ReadFull(rand.Reader, secret); err != nil {
		panic(err) // crypto/rand does not fail on supported systems
	}
	_, _ = io.ReadFull(rand.Reader, id)
	return Key{ID: fmt.Sprintf("k%x", id), secret: secret}
}

// Ephemeral returns a Box over a fresh random key that lives only in memory: what it seals
// cannot be read by another process, or after a restart. For tests and embedding.
func Ephemeral() *Box { return &Box{keys: []Key{NewKey()}} }

// KeyID is the id of the current key.
func (b *Box) KeyID() string { return b.keys[0].ID }

// Seal encrypts plaintext under the current key, bound to aad.
func (b *Box) Seal(plaintext, aad []byte) (string, error) {
	k := b.keys[0]
	aead, err := chacha20poly1305.NewX(k.secret)
	if err != nil {
		return "", err
	}
	nonce := make([]byte, aead.NonceSize(), aead.NonceSize()+len(plaintext)+aead.Overhead())
	if _, err := io.ReadFull(rand.Reader, nonce); err != nil {
		return "", fmt.Errorf("sealbox: nonce: %w", err)
	}
	out := aead.Seal(nonce, nonce, plaintext, bound(k.ID, aad))
	return prefix + ":" + k.ID + ":" + base64.RawURLEncoding.EncodeToString(out), nil
}

// Open decrypts a sealed text with the key it names.
func (b *Box) Open(sealed string, aad []byte) ([]byte, error) {
	id, body, ok := split(sealed)
	if !ok {
		return nil, errors.New("sealbox: not a sealed text")
	}
	k, ok := b.key(id)
	if !ok {
		return nil, &UnknownKeyError{ID: id}
	}
	raw, err := base64.RawURLEncoding.DecodeString(body)
	if err != nil || len(raw) < chacha20poly1305.NonceSizeX {
		return nil, errors.New("sealbox: a sealed text is damaged")
	}
	aead, err := chacha20poly1305.NewX(k.secret)
	if err != nil {
		return nil, err
	}
	n := aead.NonceSize()
	plain, err := aead.Open(nil, raw[:n], raw[n:], bound(id, aad))
	if err != nil {
		return nil, fmt.Errorf("sealbox: key %s does not open this text: the key file holds another key under that id, or the row was changed", id)
	}
	return plain, nil
}

// SealedWith returns the key id a sealed text names.
func (b *Box) SealedWith(text string) (string, bool) {
	id, _, ok := split(text)
	return id, ok
}

// Derive returns a 32-byte key for purpose, derived from the current key with HKDF-SHA256:
// other secrets (job credentials) come from the encryption key without being it.
func (b *Box) Derive(purpose string) []byte {
	out := make([]byte, 32)
	r := hkdf.New(sha256.New, b.keys[0].secret, nil, []byte("sluice "+purpose))
	if _, err := io.ReadFull(r, out); err != nil {
		panic(err) // 32 bytes is far below HKDF-SHA256's limit
	}
	return out
}

func (b *Box) key(id string) (Key, bool) {
	for _, k := range b.keys {
		if k.ID == id {
			return k, true
		}
	}
	return Key{}, false
}

func bound(id string, aad []byte) []byte {
	return append([]byte(prefix+":"+id+":"), aad...)
}

func split(text string) (id, body string, ok bool) {
	rest, ok := strings.CutPrefix(text, prefix+":")
	if !ok {
		return "", "", false
	}
	id, body, ok = strings.Cut(rest, ":")
	return id, body, ok && idPattern().MatchString(id)
}

// UnknownKeyError is Open's error for a text sealed with a key the Box does not hold.
type UnknownKeyError struct{ ID string }

func (e *UnknownKeyError) Error() string {
	return fmt.Sprintf("sealbox: sealed with key %s, which is not among the keys given", e.ID)
}
