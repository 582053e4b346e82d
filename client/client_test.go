package client_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/stretchr/testify/require"

	"sluice/client"
)

func TestCall(t *testing.T) {
	t.Parallel()
	headers := make(chan http.Header, 2)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		headers <- r.Header
		if r.Header.Get("X-Amz-Target") == "Test.Refused" {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"__type":"ResourceNotFoundException","message":"Function not found: f"}`))
			return
		}
		_, _ = w.Write([]byte(`{"answer":42}`))
	}))
	t.Cleanup(srv.Close)
	c := client.New(srv.URL, "us-east-1", credentials.NewStaticCredentialsProvider("AKIAEXAMPLE", "secret", ""), nil)

	var out struct {
		Answer int `json:"answer"`
	}
	require.NoError(t, c.Call(t.Context(), "Test.Ok", "lambda", map[string]string{}, &out))
	require.Equal(t, 42, out.Answer)
	h := <-headers
	require.True(t, strings.HasPrefix(h.Get("Authorization"), "AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/"), "signed")
	require.Equal(t, "application/x-amz-json-1.1", h.Get("Content-Type"))
	require.Equal(t, "Test.Ok", h.Get("X-Amz-Target"))

	err := c.Call(t.Context(), "Test.Refused", "lambda", map[string]string{}, &out)
	var ae *client.APIError
	require.ErrorAs(t, err, &ae)
	require.Equal(t, &client.APIError{Target: "Test.Refused", Type: "ResourceNotFoundException", Message: "Function not found: f", Status: 400}, ae)
	require.EqualError(t, err, "Test.Refused: ResourceNotFoundException: Function not found: f (HTTP 400)")
}
