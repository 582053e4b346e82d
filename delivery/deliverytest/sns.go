package deliverytest

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha1" //nolint:gosec // SNS SignatureVersion 1
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
)

// SNSVerifier checks SNS messages as a subscriber's validator does: it fetches the
// certificate at SigningCertURL (with Client, once per URL) and checks the signature of the
// keys SNS signs, by SignatureVersion (1: SHA1, 2: SHA256). Safe for concurrent use.
type SNSVerifier struct {
	Client *http.Client
	certs  sync.Map // URL -> *x509.Certificate
}

// Verify checks the signature of a message's string members f.
func (v *SNSVerifier) Verify(f map[string]string) error {
	if !strings.HasSuffix(f["SigningCertURL"], ".pem") {
		return fmt.Errorf("SigningCertURL %q is not a .pem", f["SigningCertURL"])
	}
	cert, err := v.cert(f["SigningCertURL"])
	if err != nil {
		return err
	}
	text := StringToSign(f)
	sig, err := base64.StdEncoding.DecodeString(f["Signature"])
	if err != nil {
		return err
	}
	pub, ok := cert.PublicKey.(*rsa.PublicKey)
	if !ok {
		return errors.New("the certificate's key is not RSA")
	}
	switch f["SignatureVersion"] {
	case "1":
		sum := sha1.Sum([]byte(text)) //nolint:gosec // SignatureVersion 1
		return rsa.VerifyPKCS1v15(pub, crypto.SHA1, sum[:], sig)
	case "2":
		sum := sha256.Sum256([]byte(text))
		return rsa.VerifyPKCS1v15(pub, crypto.SHA256, sum[:], sig)
	}
	return fmt.Errorf("SignatureVersion %q", f["SignatureVersion"])
}

// StringToSign is the text SNS signs: each signed key present, then its value, a line each.
func StringToSign(f map[string]string) string {
	keys := []string{"Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"}
	if f["Type"] != "Notification" {
		keys = []string{"Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"}
	}
	var text strings.Builder
	for _, k := range keys {
		if v, ok := f[k]; ok {
			text.WriteString(k + "\n" + v + "\n")
		}
	}
	return text.String()
}

func (v *SNSVerifier) cert(url string) (*x509.Certificate, error) {
	if c, ok := v.certs.Load(url); ok {
		return c.(*x509.Certificate), nil
	}
	resp, err := v.Client.Get(url)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	block, _ := pem.Decode(b)
	if block == nil {
		return nil, fmt.Errorf("%s is not PEM", url)
	}
	c, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return nil, err
	}
	v.certs.Store(url, c)
	return c, nil
}

// Fields decodes a JSON SNS message and returns its string members.
func Fields(body []byte) (map[string]string, error) {
	var raw map[string]any
	if err := json.Unmarshal(body, &raw); err != nil {
		return nil, fmt.Errorf("not JSON: %w", err)
	}
	f := map[string]string{}
	for k, v := range raw {
		if s, ok := v.(string); ok {
			f[k] = s
		}
	}
	return f, nil
}
