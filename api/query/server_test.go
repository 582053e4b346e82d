package query_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/api/query"
	"sluice/api/sigv4"
	"sluice/engine"
	"sluice/netguard"
	"sluice/service"
	"sluice/store/sqlite"
)

type clock struct{}

func (clock) Now() time.Time { return time.Now() }

// noDNS resolves no name, so that SNS endpoints are checked without the network.
type noDNS struct{}

func (noDNS) LookupNetIP(context.Context, string, string) ([]netip.Addr, error) {
	return nil, errors.New("no DNS in tests")
}

type ids struct{}

func (ids) NewID() string { return "req-1" }

const (
	account = "123456789012"
	keyID   = "AKIAQUERYTEST0000001"
	secret  = "query-test-secret"
)

func setup(t testing.TB) *httptest.Server {
	srv, _ := setupStore(t)
	return srv
}

// setupStore is setup that also returns the server's store.
func setupStore(t testing.TB) (*httptest.Server, *sqlite.DB) {
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "sluice.db"))
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	require.NoError(t, db.PutAccessKey(context.Background(), &sluice.AccessKey{ID: keyID, Secret: secret, Principal: "arn:aws:iam::" + account + ":root"}))
	eng := &engine.Engine{Store: db, Clock: clock{}, IDs: ids{}, Account: account, Region: "us-east-1"}
	core := &service.Service{Engine: eng, Store: db, IDs: ids{}, Authz: &service.Authorizer{Store: db, Account: account},
		Guard: netguard.Guard{Resolver: noDNS{}}}
	srv := httptest.NewServer(&query.Server{Service: core, Verifier: &sigv4.Verifier{Lookup: sigv4.KeyStoreLookup(db)},
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), IDs: ids{}})
	t.Cleanup(srv.Close)
	return srv, db
}

// post sends a signed form for service and returns the status and body.
func post(t *testing.T, srv *httptest.Server, service string, form url.Values) (int, string) {
	body := form.Encode()
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/", strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	sum := sha256.Sum256([]byte(body))
	require.NoError(t, v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: keyID, SecretAccessKey: secret},
		req, hex.EncodeToString(sum[:]), service, "eu-west-1", time.Now()))
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(b)
}

func TestQueryProtocol(t *testing.T) {
	t.Parallel()
	srv := setup(t)
	t.Run("GetCallerIdentity", func(t *testing.T) {
		t.Parallel()
		status, body := post(t, srv, "sts", url.Values{"Action": {"GetCallerIdentity"}, "Version": {"2011-06-15"}})
		require.Equal(t, http.StatusOK, status)
		require.Equal(t, `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>`+
			`<UserId>123456789012</UserId><Account>123456789012</Account><Arn>arn:aws:iam::123456789012:root</Arn></GetCallerIdentityResult>`+
			`<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></GetCallerIdentityResponse>`, body)
	})
	t.Run("EmptyListIsPresent", func(t *testing.T) {
		t.Parallel()
		_, body := post(t, srv, "iam", url.Values{"Action": {"ListGroups"}, "Version": {"2010-05-08"}})
		require.Contains(t, body, "<ListGroupsResult><Groups></Groups><IsTruncated>false</IsTruncated></ListGroupsResult>")
	})
	t.Run("DocumentsComeBackPercentEncoded", func(t *testing.T) {
		t.Parallel()
		doc := `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "iam:Get*", "Resource": "*"}}`
		status, body := post(t, srv, "iam", url.Values{"Action": {"CreatePolicy"}, "Version": {"2010-05-08"}, "PolicyName": {"p"}, "PolicyDocument": {doc}})
		require.Equal(t, http.StatusOK, status, body)
		_, body = post(t, srv, "iam", url.Values{"Action": {"GetPolicyVersion"}, "Version": {"2010-05-08"},
			"PolicyArn": {"arn:aws:iam::123456789012:policy/p"}, "VersionId": {"v1"}})
		require.Contains(t, body, "<Document>%7B%22Version%22%3A%20%222012-10-17%22%2C%20")
	})
	t.Run("ErrMalformedPolicyDocument", func(t *testing.T) {
		t.Parallel()
		status, body := post(t, srv, "iam", url.Values{"Action": {"CreatePolicy"}, "Version": {"2010-05-08"}, "PolicyName": {"bad"},
			"PolicyDocument": {`{"Statement":{"Effect":"Allow","Action":"*"}}`}})
		require.Equal(t, http.StatusBadRequest, status)
		require.Equal(t, `<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type>`+
			`<Code>MalformedPolicyDocument</Code><Message>Policy statement must contain resources.</Message></Error>`+
			`<RequestId>req-1</RequestId></ErrorResponse>`, body)
	})
	t.Run("ErrMissingMember", func(t *testing.T) {
		t.Parallel()
		status, body := post(t, srv, "iam", url.Values{"Action": {"CreateUser"}, "Version": {"2010-05-08"}})
		require.Equal(t, http.StatusBadRequest, status)
		require.Contains(t, body, "<Code>ValidationError</Code><Message>1 validation error detected: Value null at &#39;userName&#39; failed to satisfy constraint: Member must not be null</Message>")
	})
	t.Run("ErrUnknownAction", func(t *testing.T) {
		t.Parallel()
		status, body := post(t, srv, "iam", url.Values{"Action": {"CreateRole"}, "Version": {"2010-05-08"}})
		require.Equal(t, http.StatusBadRequest, status)
		require.Contains(t, body, "<Code>InvalidAction</Code>")
	})
	t.Run("ErrUnsigned", func(t *testing.T) {
		t.Parallel()
		resp, err := http.Post(srv.URL+"/", "application/x-www-form-urlencoded", strings.NewReader("Action=GetCallerIdentity&Version=2011-06-15"))
		require.NoError(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		require.Equal(t, http.StatusForbidden, resp.StatusCode)
		require.Contains(t, string(b), "<Code>MissingAuthenticationToken</Code>")
	})
}
