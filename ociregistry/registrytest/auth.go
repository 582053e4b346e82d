package registrytest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/bcrypt"
)

// htpasswdConfig writes the one user's bcrypt entry (the only hash docker-registry takes).
func htpasswdConfig(t *testing.T, dir string) string {
	t.Helper()
	hash, err := bcrypt.GenerateFromPassword([]byte(Password), bcrypt.MinCost)
	require.NoError(t, err)
	path := filepath.Join(dir, "htpasswd")
	require.NoError(t, os.WriteFile(path, []byte(Username+":"+string(hash)+"\n"), 0o600))
	return fmt.Sprintf("auth:\n  htpasswd:\n    realm: sluice-test\n    path: %s\n", path)
}

// tokenService issues the registry's bearer tokens: JWTs signed with a key whose
// self-signed certificate the registry trusts, carried in the token's x5c header. It
// grants what a request's scope asks for, to the one user only.
type tokenService struct {
	srv      *httptest.Server
	key      *ecdsa.PrivateKey
	cert     []byte       // DER
	path     string       // the certificate bundle the registry reads
	requests atomic.Int64 // tokens issued, so tests can see a token reused
}

const (
	tokenIssuerName  = "sluice-test-issuer"
	tokenServiceName = "sluice-test-registry"
)

func startTokenService(t *testing.T, dir string) *tokenService {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: tokenIssuerName},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, BasicConstraintsValid: true, IsCA: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	ts := &tokenService{key: key, cert: der, path: filepath.Join(dir, "token.pem")}
	require.NoError(t, os.WriteFile(ts.path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600))
	ts.srv = httptest.NewServer(http.HandlerFunc(ts.serve))
	t.Cleanup(ts.srv.Close)
	return ts
}

func (ts *tokenService) config() string {
	return fmt.Sprintf("auth:\n  token:\n    realm: %s/token\n    service: %s\n    issuer: %s\n    rootcertbundle: %s\n",
		ts.srv.URL, tokenServiceName, tokenIssuerName, ts.path)
}

func (ts *tokenService) serve(w http.ResponseWriter, r *http.Request) {
	ts.requests.Add(1)
	user, pass, ok := r.BasicAuth()
	if !ok || user != Username || pass != Password {
		http.Error(w, `{"details":"wrong credentials"}`, http.StatusUnauthorized)
		return
	}
	if r.URL.Query().Get("service") != tokenServiceName {
		http.Error(w, "unknown service", http.StatusBadRequest)
		return
	}
	tok, err := ts.sign(r.URL.Query().Get("scope"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]string{"token": tok})
}

// sign makes a token granting scope ("repository:NAME:pull,push").
func (ts *tokenService) sign(scope string) (string, error) {
	type access struct {
		Type    string   `json:"type"`
		Name    string   `json:"name"`
		Actions []string `json:"actions"`
	}
	var grants []access
	if parts := strings.Split(scope, ":"); len(parts) == 3 {
		grants = append(grants, access{Type: parts[0], Name: parts[1], Actions: strings.Split(parts[2], ",")})
	}
	now := time.Now()
	header := map[string]any{"typ": "JWT", "alg": "ES256", "x5c": []string{base64.StdEncoding.EncodeToString(ts.cert)}}
	claims := map[string]any{"iss": tokenIssuerName, "sub": Username, "aud": tokenServiceName,
		"exp": now.Add(5 * time.Minute).Unix(), "nbf": now.Add(-time.Minute).Unix(), "iat": now.Unix(),
		"jti": fmt.Sprint(now.UnixNano()), "access": grants}
	h, err := json.Marshal(header)
	if err != nil {
		return "", err
	}
	c, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	enc := base64.RawURLEncoding
	signed := enc.EncodeToString(h) + "." + enc.EncodeToString(c)
	digest := sha256.Sum256([]byte(signed))
	r, s, err := ecdsa.Sign(rand.Reader, ts.key, digest[:])
	if err != nil {
		return "", err
	}
	sig := make([]byte, 64) // JWS ES256: r and s, 32 bytes each
	r.FillBytes(sig[:32])
	s.FillBytes(sig[32:])
	return signed + "." + enc.EncodeToString(sig), nil
}
