package query_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/stretchr/testify/require"

	"sluice"
)

// queryCodes are the error codes the IAM and STS models list for Sluice's operations, and
// the protocol's common ones.
var queryCodes = map[string]bool{
	"ValidationError": true, "InvalidInput": true, "MalformedPolicyDocument": true, "NoSuchEntity": true,
	"EntityAlreadyExists": true, "LimitExceeded": true, "DeleteConflict": true, "AccessDenied": true,
	"InvalidAction": true,
}

// FuzzForm sends signed query-protocol requests whose form body is the input (IAM's or
// STS's, by the flag) to the server, with a store behind it: the form decoding, the
// member checks of every operation and the calls they make. Whatever the body, the answer
// is never a 500: it is the action's XML envelope, or an ErrorResponse whose Code the
// models list and whose Message is not empty, and it parses as XML.
func FuzzForm(f *testing.F) {
	iam := func(action string, kv ...string) string {
		v := url.Values{"Action": {action}, "Version": {"2010-05-08"}}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v.Encode()
	}
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"codepipeline:Get*","Resource":"*"}]}`
	for _, seed := range []string{
		iam("CreateUser", "UserName", "alice", "Path", "/team/"),
		iam("GetUser", "UserName", "alice"), iam("ListUsers", "PathPrefix", "/", "MaxItems", "2", "Marker", "m"),
		iam("DeleteUser", "UserName", "alice"), iam("CreateAccessKey", "UserName", "alice"),
		iam("ListAccessKeys", "UserName", "alice"), iam("UpdateAccessKey", "AccessKeyId", "AKIAEXAMPLE000000001", "Status", "Inactive"),
		iam("DeleteAccessKey", "AccessKeyId", "AKIAEXAMPLE000000001"), iam("CreateGroup", "GroupName", "devs"),
		iam("AddUserToGroup", "GroupName", "devs", "UserName", "alice"), iam("ListGroupsForUser", "UserName", "alice"),
		iam("PutUserPolicy", "UserName", "alice", "PolicyName", "p", "PolicyDocument", doc),
		iam("GetGroupPolicy", "GroupName", "devs", "PolicyName", "p"), iam("CreatePolicy", "PolicyName", "p", "PolicyDocument", doc, "Path", "/x/"),
		iam("AttachUserPolicy", "UserName", "alice", "PolicyArn", "arn:aws:iam::aws:policy/AWSCodePipeline_ReadOnlyAccess"),
		iam("ListPolicies", "Scope", "AWS", "OnlyAttached", "true"), iam("GetPolicyVersion", "PolicyArn", "arn:aws:iam::123456789012:policy/p", "VersionId", "v1"),
		"Action=GetCallerIdentity&Version=2011-06-15", "Action=GetUser&Version=2010-05-08&UserName=%ZZ", "a=1;b=2&&=",
	} {
		f.Add(seed, !strings.Contains(seed, "2011-06-15"))
	}
	srv, db := setupStore(f)
	h := srv.Config.Handler
	rootKey := sluice.AccessKey{ID: keyID, Secret: secret, Principal: "arn:aws:iam::" + account + ":root"}
	f.Fuzz(func(t *testing.T, body string, isIAM bool) {
		// An input may have deleted or deactivated the signing key (the root may): restore it.
		require.NoError(t, db.PutAccessKey(context.Background(), &rootKey))
		svc := "sts"
		if isIAM {
			svc = "iam"
		}
		req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
		sum := sha256.Sum256([]byte(body))
		require.NoError(t, v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: keyID, SecretAccessKey: secret},
			req, hex.EncodeToString(sum[:]), svc, "us-east-1", time.Now()))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		require.Less(t, rec.Code, 500, rec.Body.String())
		root := rootElement(t, rec.Body.Bytes())
		if rec.Code == http.StatusOK {
			values, err := url.ParseQuery(body)
			require.NoError(t, err, "a body that is not a form was answered 200")
			require.Equal(t, values.Get("Action")+"Response", root)
			return
		}
		var e struct {
			Error struct{ Code, Message string }
		}
		require.Equal(t, "ErrorResponse", root)
		require.NoError(t, xml.Unmarshal(rec.Body.Bytes(), &e))
		require.True(t, queryCodes[e.Error.Code], "code %q is not in the models", e.Error.Code)
		require.NotEmpty(t, e.Error.Message)
	})
}

// rootElement parses b as one XML document and returns its root element's name.
func rootElement(t *testing.T, b []byte) string {
	d := xml.NewDecoder(bytes.NewReader(b))
	root := ""
	for {
		tok, err := d.Token()
		if err != nil {
			require.Equal(t, "EOF", err.Error(), "the answer is not XML: %s", b)
			break
		}
		if se, ok := tok.(xml.StartElement); ok && root == "" {
			root = se.Name.Local
		}
	}
	require.NotEmpty(t, root, "no root element: %s", b)
	return root
}
