package delivery

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1" //nolint:gosec // SNS SignatureVersion 1 is SHA1withRSA
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"os"
	"path/filepath"
	"time"
)

// Signer signs SNS messages with the installation's RSA key and serves the key's
// certificate at CertPath, where receivers fetch it from SigningCertURL (§3.5).
type Signer struct {
	key     *rsa.PrivateKey
	certPEM []byte
	path    string
}

// Files of the signing key and its certificate in the data directory.
const (
	signingKeyFile  = "sns-signing-key.pem"
	signingCertFile = "sns-signing-cert.pem"
)

// LoadSigner reads the key and certificate from dir, making them (RSA-2048, a self-signed
// certificate valid for 20 years) the first time.
func LoadSigner(dir string) (*Signer, error) {
	keyPEM, err := os.ReadFile(filepath.Join(dir, signingKeyFile))
	if errors.Is(err, os.ErrNotExist) {
		return makeSigner(dir)
	}
	if err != nil {
		return nil, err
	}
	certPEM, err := os.ReadFile(filepath.Join(dir, signingCertFile))
	if err != nil {
		return nil, err
	}
	return newSigner(keyPEM, certPEM)
}

func newSigner(keyPEM, certPEM []byte) (*Signer, error) {
	kb, _ := pem.Decode(keyPEM)
	cb, _ := pem.Decode(certPEM)
	if kb == nil || cb == nil {
		return nil, errors.New("sns signing key: not PEM")
	}
	k, err := x509.ParsePKCS8PrivateKey(kb.Bytes)
	if err != nil {
		return nil, fmt.Errorf("sns signing key: %w", err)
	}
	key, ok := k.(*rsa.PrivateKey)
	if !ok {
		return nil, errors.New("sns signing key: not RSA")
	}
	sum := sha256.Sum256(cb.Bytes)
	return &Signer{key: key, certPEM: certPEM, path: "/SimpleNotificationService-" + hex.EncodeToString(sum[:16]) + ".pem"}, nil
}

func makeSigner(dir string) (*Signer, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	if err != nil {
		return nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{SerialNumber: serial, Subject: pkix.Name{CommonName: "Sluice SNS message signing", Organization: []string{"Sluice"}},
		NotBefore: now.Add(-time.Hour), NotAfter: now.AddDate(20, 0, 0), KeyUsage: x509.KeyUsageDigitalSignature}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	kder, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, err
	}
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder})
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	// The certificate is written first: a key without one is never left behind.
	if err := writeFile(filepath.Join(dir, signingCertFile), certPEM, 0o644); err != nil {
		return nil, err
	}
	if err := writeFile(filepath.Join(dir, signingKeyFile), keyPEM, 0o600); err != nil {
		return nil, err
	}
	return newSigner(keyPEM, certPEM)
}

func writeFile(path string, b []byte, mode os.FileMode) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, mode); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// CertPath is the certificate's path on the server: /SimpleNotificationService-<32 hex>.pem.
func (s *Signer) CertPath() string { return s.path }

// CertPEM is the certificate receivers verify signatures with.
func (s *Signer) CertPEM() []byte { return s.certPEM }

// Sign signs text as SignatureVersion version: "2" RSA PKCS#1 v1.5 over SHA-256, anything
// else "1", over SHA-1. The result is standard base64.
func (s *Signer) Sign(version string, text []byte) (string, error) {
	var (
		h   crypto.Hash
		sum []byte
	)
	if version == "2" {
		d := sha256.Sum256(text)
		h, sum = crypto.SHA256, d[:]
	} else {
		d := sha1.Sum(text) //nolint:gosec // SignatureVersion 1
		h, sum = crypto.SHA1, d[:]
	}
	sig, err := rsa.SignPKCS1v15(rand.Reader, s.key, h, sum)
	if err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(sig), nil
}

// ServeHTTP serves the certificate.
func (s *Signer) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/x-x509-ca-cert")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	_, _ = w.Write(s.certPEM)
}
